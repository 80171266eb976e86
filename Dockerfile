# Production image: gunicorn serves the app, WhiteNoise the static files.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
RUN useradd --create-home --uid 1000 tcm
COPY pyproject.toml README.md ./
COPY tcm tcm
COPY people people
COPY plans plans
COPY contacts contacts
COPY compliance compliance
COPY billing billing
COPY templates templates
COPY static static
COPY manage.py ./
RUN pip install --no-cache-dir . \
 && DJANGO_ENV=production SECRET_KEY=collectstatic-only-build-time-key-not-used-at-runtime-0123456789 \
    ALLOWED_HOSTS=build python manage.py collectstatic --noinput
USER tcm
EXPOSE 8000
CMD ["gunicorn", "tcm.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
