/* eslint-disable */
export default async () => {
    const t = {};
    return { "@nestjs/swagger": { "models": [], "controllers": [[import("./health/health.controller"), { "HealthController": { "getLiveness": { summary: "The process is up; never touches the database, so a database outage does not restart it." }, "getReadiness": { summary: "Ready to serve: the database answers a ping within 1.5 s.", type: Object } } }], [import("./metrics/metrics.controller"), { "MetricsController": { "index": { summary: "Prometheus metrics: process, HTTP latency per route, import outcomes.", type: String } } }]] } };
};