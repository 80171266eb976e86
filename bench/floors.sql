-- The SQL floor of each batch job: its core question asked in one statement.
--
-- bench/jobs.py times each statement on the bench data (the fastest of three runs)
-- and reports job time / floor time. A floor reads what the job reads and
-- computes what the job decides, but writes nothing and builds no Python
-- objects, so the ratio is the price of everything around the SQL: the ORM,
-- the rules in Python, the findings or bills written with their history.
-- That is the floor of a rerun, which finds nothing changed and writes nothing.
--
-- A first run's floor (`JOB (first run)`) also writes the rows a first run writes,
-- the findings, or the bills with their lines and the links of each line to its
-- time entries, in the same statement, into empty copies of their tables with
-- their indexes, checks and foreign keys (`-- writes:`, bench/jobs.py
-- time_floor), rolled back. It extends the job's floor (`-- extends:`): that
-- statement's CTEs, then its own. It writes no history: that, again, is the price
-- around the SQL. Without it a first run was measured against a statement that
-- writes none of its 400,000 rows (bench/EXPLAIN.md, "First runs against a floor
-- that writes").
--
-- Parameters: %(as_of)s (the evaluation day) and %(month)s (first day of the
-- month billed, the last ended month).

-- name: evaluate_compliance
-- SPEC.md section 4 over a 12-month look-back: persons with an episode open on
-- a whole period and no qualifying contact in it (monthly contact, quarterly
-- face-to-face in the service setting), plus the annual plan review and the
-- annual reassessment overdue for persons open on the as-of date.
WITH months AS (
    SELECT m::date AS first_day, (m + interval '1 month - 1 day')::date AS last_day
    FROM generate_series(
        date_trunc('month', %(as_of)s::date) - interval '12 months',
        date_trunc('month', %(as_of)s::date) - interval '1 month',
        interval '1 month'
    ) AS m
),
quarters AS (
    SELECT q::date AS first_day, (q + interval '3 months - 1 day')::date AS last_day
    FROM generate_series(
        date_trunc('quarter', %(as_of)s::date - interval '12 months'),
        date_trunc('quarter', %(as_of)s::date) - interval '3 months',
        interval '3 months'
    ) AS q
    WHERE q >= date_trunc('month', %(as_of)s::date) - interval '12 months'
),
periods AS (
    SELECT 'monthly_contact' AS rule, first_day, last_day FROM months
    UNION ALL
    SELECT 'quarterly_face_to_face', first_day, last_day FROM quarters
),
in_scope AS (
    SELECT e.person_id, periods.*
    FROM people_caseepisode e
    JOIN periods
      ON e.opened_on <= periods.first_day
     AND (e.closed_on IS NULL OR e.closed_on >= periods.last_day)
),
periodic_unmet AS (
    SELECT s.person_id, s.rule, s.first_day, s.last_day
    FROM in_scope s
    WHERE NOT EXISTS (
        SELECT 1 FROM contacts_contact c
        WHERE c.person_id = s.person_id
          AND c.contact_date BETWEEN s.first_day AND s.last_day
          AND c.signed_at IS NOT NULL AND c.voided_at IS NULL AND c.successful
          AND CASE s.rule
              WHEN 'monthly_contact' THEN c.mode IN ('face_to_face', 'phone', 'video')
                   AND (c.with_person OR c.with_legal_representative)
              ELSE c.mode = 'face_to_face' AND c.with_person AND c.location = 'service_setting'
          END
    )
),
open_today AS (
    SELECT person_id, opened_on FROM people_caseepisode
    WHERE opened_on <= %(as_of)s AND (closed_on IS NULL OR closed_on >= %(as_of)s)
),
plan_overdue AS (
    SELECT p.person_id, p.id, p.version, p.meeting_date
    FROM plans_plan p JOIN open_today o USING (person_id)
    WHERE p.status = 'active' AND p.meeting_date < %(as_of)s::date - interval '1 year'
),
reassessment_overdue AS (
    SELECT * FROM (
        SELECT o.person_id, o.opened_on,
               (SELECT max(a.assessed_on) FROM plans_needsassessment a
                WHERE a.person_id = o.person_id AND a.assessed_on >= o.opened_on
               ) AS last_assessed_on
        FROM open_today o
    ) assessed
    WHERE coalesce(last_assessed_on, opened_on) < %(as_of)s::date - interval '1 year'
)
SELECT (SELECT count(*) FROM periodic_unmet)
     + (SELECT count(*) FROM plan_overdue)
     + (SELECT count(*) FROM reassessment_overdue);

-- name: evaluate_compliance (first run)
-- writes: compliance_finding
-- extends: evaluate_compliance
-- The statement above, its CTEs and then these: each finding it counts written
-- as the run opens it, with its period, due date and evidence (the contacts
-- recorded in the period, the plan, the last reassessment), in the order of the
-- findings' unique key.
dues AS (
    SELECT s.person_id, s.rule, s.first_day AS period_start, s.last_day AS period_end,
           s.last_day AS due_date,
           jsonb_build_object('contacts_in_period', (
               SELECT count(*) FROM contacts_contact c
               WHERE c.person_id = s.person_id
                 AND c.contact_date BETWEEN s.first_day AND s.last_day)) AS evidence
    FROM periodic_unmet s
    UNION ALL
    SELECT person_id, 'annual_plan_review', meeting_date,
           (meeting_date + interval '1 year')::date, (meeting_date + interval '1 year')::date,
           jsonb_build_object('plan_id', id, 'plan_version', version)
    FROM plan_overdue
    UNION ALL
    SELECT person_id, 'annual_reassessment', coalesce(last_assessed_on, opened_on),
           (coalesce(last_assessed_on, opened_on) + interval '1 year')::date,
           (coalesce(last_assessed_on, opened_on) + interval '1 year')::date,
           jsonb_build_object('last_assessed_on', last_assessed_on, 'episode_opened_on', opened_on)
    FROM reassessment_overdue
),
findings AS (
    INSERT INTO compliance_finding
        (person_id, rule, period_start, period_end, due_date, status, evidence, citation,
         detected_at, evaluation_id, acknowledgement_note)
    SELECT person_id, rule, period_start, period_end, due_date, 'open', evidence,
           'Mississippi DMH Provider Bulletin PR0039 (IDD Targeted Case Management, 1915(i)): '
           || rule, now(), (SELECT max(id) FROM compliance_evaluationrun), ''
    FROM dues ORDER BY person_id, rule, period_start, period_end
    RETURNING 1
)
SELECT count(*) FROM findings;

-- name: generate_bills
-- SPEC.md section 5 for every program: billable minutes per person and day
-- (non-void, author qualified, program certified, case open), units under the
-- eight-minute rule, the T1017 rate of the day, the payer of the day; then one
-- bill per person and payer with its units and charge, and its amount due
-- under the Standard Means Test cap (what the job decides for every bill).
WITH billable_entries AS (
    SELECT t.id, t.person_id, t.service_date, t.minutes, p.regional_program_id
    FROM contacts_timeentry t
    JOIN people_person p ON p.id = t.person_id
    WHERE t.service_date BETWEEN %(month)s AND (%(month)s::date + interval '1 month - 1 day')
      AND t.voided_at IS NULL
      AND EXISTS (
          SELECT 1 FROM tcm_staffqualification q
          WHERE q.staff_id = t.author_id AND q.effective_from <= t.service_date
            AND (q.effective_to IS NULL OR q.effective_to >= t.service_date)
            AND q.qualified_from <= t.service_date)
      AND EXISTS (
          SELECT 1 FROM tcm_certification c
          WHERE c.regional_program_id = p.regional_program_id
            AND c.certified_from <= t.service_date
            AND (c.certified_until IS NULL OR c.certified_until >= t.service_date))
      AND EXISTS (
          SELECT 1 FROM people_caseepisode e
          WHERE e.person_id = t.person_id AND e.opened_on <= t.service_date
            AND (e.closed_on IS NULL OR e.closed_on >= t.service_date))
),
billable_days AS (
    SELECT person_id, regional_program_id, service_date, sum(minutes) AS minutes
    FROM billable_entries
    GROUP BY person_id, regional_program_id, service_date
),
priced AS (
    SELECT d.person_id,
           d.minutes / 15 + CASE WHEN mod(d.minutes, 15) >= 8 THEN 1 ELSE 0 END AS units,
           (SELECT r.amount_per_unit FROM billing_rate r
            WHERE r.procedure_code = 'T1017' AND r.effective_from <= d.service_date
              AND (r.effective_to IS NULL OR r.effective_to >= d.service_date)
            ORDER BY r.effective_from DESC LIMIT 1) AS rate,
           CASE
               WHEN EXISTS (SELECT 1 FROM billing_coverage v
                            WHERE v.person_id = d.person_id AND v.payer_type = 'private_insurance'
                              AND v.effective_from <= d.service_date
                              AND (v.effective_to IS NULL OR v.effective_to >= d.service_date))
                   THEN 'private_insurance'
               WHEN EXISTS (SELECT 1 FROM billing_coverage v
                            WHERE v.person_id = d.person_id AND v.payer_type = 'medicaid'
                              AND v.effective_from <= d.service_date
                              AND (v.effective_to IS NULL OR v.effective_to >= d.service_date))
                   THEN 'medicaid'
               ELSE 'self_pay'
           END AS payer_type
    FROM billable_days d
),
bills AS (
    SELECT person_id, payer_type, sum(units) AS units, sum(units * rate) AS charge
    FROM priced WHERE rate IS NOT NULL
    GROUP BY person_id, payer_type
),
capped AS (
    -- Self-pay: at most the monthly ability to pay of the means test in force on
    -- the 1st, a fourth of it when the person lived in the natural home.
    SELECT b.*,
           CASE WHEN b.payer_type = 'self_pay' THEN
           (SELECT m.monthly_ability_to_pay FROM billing_meanstest m
            WHERE m.person_id = b.person_id AND m.effective_from <= %(month)s
            ORDER BY m.effective_from DESC LIMIT 1)
           / CASE WHEN EXISTS (
                 SELECT 1 FROM people_livingarrangement a
                 WHERE a.person_id = b.person_id AND a.arrangement = 'natural_home'
                   AND a.effective_from <= (%(month)s::date + interval '1 month - 1 day')
                   AND (a.effective_to IS NULL OR a.effective_to >= %(month)s))
             THEN 4 ELSE 1 END
           END AS cap
    FROM bills b
)
SELECT count(*),
       sum(CASE WHEN payer_type <> 'self_pay' THEN charge
                ELSE least(charge, round(coalesce(cap, 0), 2)) END) AS amount_due
FROM capped;

-- name: generate_bills (first run)
-- writes: billing_billingrun billing_bill billing_billline billing_billline_time_entries
-- extends: generate_bills
-- The statement above, its entries and days and then these (its other CTEs go
-- unused, so unplanned), writing what it decides: a run per program, its bills with
-- their coverage or means test, a line per person and day, a link per entry
-- billed. Ids are drawn in the statement, so the lines and links join the rows
-- they belong to and not the inserts' RETURNING, of which PostgreSQL knows
-- nothing (joined, it planned nested loops over 90,000 lines); rows go in the
-- order of their keys, as the job's do (6.2 s in hash order at 100,000 persons,
-- 5.1-5.3 s in key order).
covered AS MATERIALIZED (
    SELECT d.*,
           d.minutes / 15 + CASE WHEN mod(d.minutes, 15) >= 8 THEN 1 ELSE 0 END AS units,
           (SELECT r.amount_per_unit FROM billing_rate r
            WHERE r.procedure_code = 'T1017' AND r.effective_from <= d.service_date
              AND (r.effective_to IS NULL OR r.effective_to >= d.service_date)
            ORDER BY r.effective_from DESC LIMIT 1) AS rate,
           (SELECT v.id FROM billing_coverage v
            WHERE v.person_id = d.person_id AND v.payer_type = 'private_insurance'
              AND v.effective_from <= d.service_date
              AND (v.effective_to IS NULL OR v.effective_to >= d.service_date)
            ORDER BY v.effective_from DESC LIMIT 1) AS private_id,
           (SELECT v.id FROM billing_coverage v
            WHERE v.person_id = d.person_id AND v.payer_type = 'medicaid'
              AND v.effective_from <= d.service_date
              AND (v.effective_to IS NULL OR v.effective_to >= d.service_date)
            ORDER BY v.effective_from DESC LIMIT 1) AS medicaid_id
    FROM billable_days d
),
day_payers AS (
    SELECT person_id, regional_program_id, service_date, minutes, units, rate,
           coalesce(private_id, medicaid_id) AS coverage_id,
           CASE WHEN private_id IS NOT NULL THEN 'private_insurance'
                WHEN medicaid_id IS NOT NULL THEN 'medicaid'
                ELSE 'self_pay' END AS payer_type
    FROM covered WHERE rate IS NOT NULL
),
bill_totals AS (
    SELECT person_id, regional_program_id, payer_type, min(coverage_id) AS coverage_id,
           sum(minutes) AS minutes, sum(units) AS units, sum(units * rate) AS charge
    FROM day_payers
    GROUP BY person_id, regional_program_id, payer_type
),
bill_rows AS MATERIALIZED (
    SELECT nextval(pg_get_serial_sequence('billing_bill', 'id')) AS id, b.*,
           m.id AS means_test_id, m.monthly_ability_to_pay,
           b.payer_type = 'self_pay' AND EXISTS (
               SELECT 1 FROM people_livingarrangement a
               WHERE a.person_id = b.person_id AND a.arrangement = 'natural_home'
                 AND a.effective_from <= (%(month)s::date + interval '1 month - 1 day')
                 AND (a.effective_to IS NULL OR a.effective_to >= %(month)s)
           ) AS natural_home
    FROM (SELECT * FROM bill_totals ORDER BY person_id, payer_type) b
    LEFT JOIN LATERAL (
        SELECT m.id, m.monthly_ability_to_pay FROM billing_meanstest m
        WHERE b.payer_type = 'self_pay'
          AND m.person_id = b.person_id AND m.effective_from <= %(month)s
        ORDER BY m.effective_from DESC LIMIT 1
    ) m ON TRUE
),
line_rows AS MATERIALIZED (
    SELECT nextval(pg_get_serial_sequence('billing_billline', 'id')) AS id,
           b.id AS bill_id, d.person_id, d.service_date, d.minutes, d.units, d.rate
    FROM day_payers d JOIN bill_rows b USING (person_id, payer_type)
    ORDER BY b.id, d.service_date
),
runs AS (
    INSERT INTO billing_billingrun
        (regional_program_id, month, kind, status, progress, bill_count, total_due, created_at)
    SELECT id, %(month)s, 'regular', 'draft', 100, 0, 0, now() FROM tcm_regionalprogram
    RETURNING id, regional_program_id
),
new_bills AS (
    INSERT INTO billing_bill
        (id, run_id, person_id, month, payer_type, coverage_id, means_test_id, minutes, units,
         charge, amount_due, monthly_ability_to_pay, natural_home, cap, already_due,
         withdrawn, generated_at)
    SELECT b.id, runs.id, b.person_id, %(month)s, b.payer_type, b.coverage_id,
           b.means_test_id, b.minutes, b.units, b.charge,
           CASE WHEN b.payer_type <> 'self_pay' THEN b.charge
                ELSE least(b.charge, coalesce(b.cap, 0)) END,
           b.monthly_ability_to_pay, b.natural_home, b.cap, 0, FALSE, now()
    FROM (
        SELECT *, round(monthly_ability_to_pay / CASE WHEN natural_home THEN 4 ELSE 1 END, 2)
                  AS cap
        FROM bill_rows
    ) b
    JOIN runs USING (regional_program_id)
    ORDER BY b.id
    RETURNING amount_due
),
new_lines AS (
    INSERT INTO billing_billline
        (id, bill_id, service_date, minutes, previously_billed_minutes, units, rule, rate, charge)
    SELECT id, bill_id, service_date, minutes, 0, units, 'eight_minute', rate, units * rate
    FROM line_rows
    ORDER BY id
    RETURNING 1
),
new_links AS (
    INSERT INTO billing_billline_time_entries (billline_id, timeentry_id)
    SELECT l.id, e.id
    FROM billable_entries e JOIN line_rows l USING (person_id, service_date)
    ORDER BY l.id, e.id
    RETURNING 1
)
SELECT (SELECT count(*) FROM new_bills), (SELECT sum(amount_due) FROM new_bills),
       (SELECT count(*) FROM new_lines), (SELECT count(*) FROM new_links);
