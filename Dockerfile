# keyproj: web, worker and beat run from this one image (docker-compose.yml names the command).
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY keyproj keyproj
COPY web web
COPY workers workers
COPY cli cli
COPY keyproj_entry keyproj_entry
COPY bpmn bpmn
RUN pip install --no-cache-dir -e . && useradd --system --home /app keyproj \
    && mkdir -p /var/lib/keyproj && chown keyproj /var/lib/keyproj
USER keyproj
EXPOSE 5000
CMD ["keyproj", "serve", "--host", "0.0.0.0"]
