FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml setup.py README.md ./
COPY web web
COPY api api
COPY core core
COPY domain domain
COPY gamification gamification
COPY workers workers
# The build vendors GraphiQL and the dashboard's libraries from the npm registry (setup.py);
# Node is needed for that step only.
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm \
 && pip install --no-cache-dir . \
 && rm -rf web/node_modules \
 && apt-get purge -y nodejs npm && apt-get autoremove -y && rm -rf /var/lib/apt/lists/*
EXPOSE 8000
CMD ["pacesetter", "serve", "--host", "0.0.0.0", "--port", "8000"]
