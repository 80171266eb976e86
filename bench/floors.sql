-- The SQL floor of each batch job: its core question asked in one statement.
--
-- bench/jobs.py times each statement on the bench data (the faster of two runs)
-- and reports job time / floor time. A floor reads what the job reads and
-- computes what the job decides, but writes nothing and builds no Python
-- objects, so the ratio is the price of everything around the SQL: the ORM,
-- the rules in Python, the findings or bills written with their history.
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
    SELECT s.person_id, s.rule, s.first_day
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
    SELECT p.person_id FROM plans_plan p JOIN open_today o USING (person_id)
    WHERE p.status = 'active' AND p.meeting_date < %(as_of)s::date - interval '1 year'
),
reassessment_overdue AS (
    SELECT o.person_id FROM open_today o
    WHERE coalesce(
        (SELECT max(a.assessed_on) FROM plans_needsassessment a
         WHERE a.person_id = o.person_id AND a.assessed_on >= o.opened_on),
        o.opened_on
    ) < %(as_of)s::date - interval '1 year'
)
SELECT (SELECT count(*) FROM periodic_unmet)
     + (SELECT count(*) FROM plan_overdue)
     + (SELECT count(*) FROM reassessment_overdue);

-- name: generate_bills
-- SPEC.md section 5 for every program: billable minutes per person and day
-- (non-void, author qualified, program certified, case open), units under the
-- eight-minute rule, the T1017 rate of the day, the payer of the day; then one
-- bill per person and payer with its units and charge, and its amount due
-- under the Standard Means Test cap (what the job decides for every bill).
WITH billable_days AS (
    SELECT t.person_id, t.service_date, sum(t.minutes) AS minutes
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
    GROUP BY t.person_id, t.service_date
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
