# Engagement-Lotse: `lotse run` in a small image, as a non-root user.
#
#   docker build -t engagement-lotse .        (or: docker compose build, see compose.yaml)
#
# Content and knowledge are copied in (a working bot out of the box) and are usually
# replaced by the coordinators' files through volumes (compose.yaml, docs/deploy.md).

# --- build: install the package and its dependencies into a virtualenv --------------
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
RUN python -m venv /opt/lotse
# The dependency versions the tests passed with (docs/testing.md): no upstream release
# gets into the image untested.
COPY pyproject.toml README.md constraints.txt ./
COPY bot ./bot
RUN PIP_CONSTRAINT=/src/constraints.txt /opt/lotse/bin/pip install .

# --- run: the virtualenv, the content, nothing else (no compiler, no pip cache) ------
FROM python:3.11-slim
# METRICS_PORT: /health and /metrics also in polling mode (the HEALTHCHECK below needs them);
# METRICS_HOST: on all interfaces of the container, so the published port reaches them
# (compose.yaml binds that port to 127.0.0.1 of the host; METRICS_TOKEN protects /metrics).
ENV PATH=/opt/lotse/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    METRICS_PORT=8080 \
    METRICS_HOST=0.0.0.0 \
    LEMMA_CACHE_DIR=/opt/lotse/lemmas
RUN useradd --system --uid 10001 --user-group --home-dir /app --shell /usr/sbin/nologin lotse
WORKDIR /app
COPY --from=build /opt/lotse /opt/lotse
# The German lemma dictionary as a trie, built once here instead of at every start.
RUN python -c "from bot.text import lemma_forms; lemma_forms('Kindern')"
# Owned by the bot: the nightly Freinet sync writes content/offers-imported.yaml.
COPY --chown=lotse:lotse content ./content
COPY --chown=lotse:lotse knowledge ./knowledge
RUN mkdir -p /app/data && chown lotse:lotse /app/data
USER lotse
# SQLite file (when DATABASE_URL is not PostgreSQL) and anything written with --out.
VOLUME ["/app/data"]
# Webhook server, /health and /metrics.
EXPOSE 8080
# 200 when the process runs and its database answers; 503 or no answer otherwise.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/health' % (os.environ.get('METRICS_PORT') or '8080'), timeout=4)"]
STOPSIGNAL SIGTERM
CMD ["lotse", "run"]
