# syntax=docker/dockerfile:1
# The container runs the same start script as every other production start
# (scripts/start-production.sh, tested by CI's production smoke test), so this file stays thin.
#   docker build -t lacstrategy .
#   docker run lacstrategy                              the web service (gunicorn on :8000)
#   docker run lacstrategy scripts/start-production.sh worker     the background worker

FROM python:3.11-slim-bookworm AS build
WORKDIR /app
COPY requirements.lock .
RUN python -m venv /app/.venv-production \
 && /app/.venv-production/bin/pip install --no-cache-dir --require-hashes --no-deps \
      -r requirements.lock \
 && sha256sum requirements.lock | cut -d' ' -f1 > /app/.venv-production/.lock-digest

FROM python:3.11-slim-bookworm
# Pango for WeasyPrint's PDFs, cairo for the charts in Word documents (CairoSVG); Liberation
# fonts stand in for Arial.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libcairo2 fonts-liberation tzdata \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin lacstrategy
WORKDIR /app
COPY --from=build /app/.venv-production /app/.venv-production
COPY . .
RUN mkdir -p staticfiles /backups var/chart-cache && chown lacstrategy staticfiles /backups var/chart-cache
ENV PATH=/app/.venv-production/bin:$PATH \
    VENV=/app/.venv-production \
    PYTHONUNBUFFERED=1 \
    BIND=0.0.0.0:8000
USER lacstrategy
EXPOSE 8000
# The first start migrates and compresses the static files: give it time before counting.
HEALTHCHECK --interval=30s --timeout=5s --start-period=180s \
  CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"
CMD ["scripts/start-production.sh", "web"]
