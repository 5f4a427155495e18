import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

/** The version of the HTTP contract (the `v1` of `/api/v1`), not of the package. */
export const API_VERSION = '1.0.0';

/** Paths outside `/api/v1`: operational endpoints at the root. */
export const ROOT_ROUTES = ['health/live', 'health/ready', 'metrics'];

const DESCRIPTION = `
Backend of the fyntrix trading app: preferences, watchlist and dismissed insights moved out of
the browser's localStorage, the one-time import of what browsers already hold, and the trading
records (broker connections, trade intents, orders, portfolio snapshots).

Every \`/api/v1\` route needs \`Authorization: Bearer <access token>\` unless marked otherwise, and
reaches only the caller's own data (another user's ids answer 404). Errors are RFC 9457
\`application/problem+json\` documents with a \`requestId\`; validation errors list each field.
`.trim();

/** The OpenAPI document, with operation ids taken from method names (`getPreferences`). */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('fyntrix-api')
    .setDescription(DESCRIPTION)
    .setVersion(API_VERSION)
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'opaque', description: 'METRICS_TOKEN' }, 'metrics-token')
    .build();
  return SwaggerModule.createDocument(app, config, {
    operationIdFactory: (_controllerKey, methodKey) => methodKey,
  });
}

/** Swagger UI at `/docs` (the bearer token survives reloads), the JSON document at `/docs-json`. */
export function setupSwaggerUi(app: INestApplication, document: OpenAPIObject): void {
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    yamlDocumentUrl: 'docs-yaml',
    customSiteTitle: 'fyntrix-api',
    swaggerOptions: { persistAuthorization: true, displayRequestDuration: true },
  });
}

/** JSON with every object's keys sorted, so the committed file diffs cleanly. */
export function stableJson(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v && typeof v === 'object') {
      return Object.fromEntries(
        Object.keys(v as object)
          .sort()
          .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
      );
    }
    return v;
  };
  return `${JSON.stringify(sort(value), null, 2)}\n`;
}
