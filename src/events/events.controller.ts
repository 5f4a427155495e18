import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiExtraModels, ApiHeader, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { AuthUser } from '../auth/auth-user';
import { Authenticated } from '../auth/auth.decorators';
import { CurrentUser } from '../auth/current-user.decorator';
import { badRequest } from '../common/problem';
import { ApiInvalidRequest, ApiProblem } from '../docs/problem-response';
import { DEFAULT_EVENTS_HEARTBEAT_MS } from '../config/app-config';
import { ChangeStreamsService, REPLAY_MAX_EVENTS } from './change-streams.service';
import { RETRY_MS } from './change-stream';
import {
  CHANGE_EVENT_DATA,
  CHANGE_EVENT_FRAMES,
  CHANGE_STREAM_SCHEMA,
  EVENT_ID_MAX_LENGTH,
  EVENT_ID_PATTERN,
} from './dto/change-event.dto';
import { ChangeStreamQueryDto } from './dto/change-stream.query.dto';

const STREAM_DESCRIPTION = `
A \`text/event-stream\` (Server-Sent Events) of the caller's own changes, made from any device:
\`preferences\` (with the new version and ETag), \`watchlist\` (the symbols touched), \`insights\`,
\`profile\` and \`import\` (a localStorage import finished). Each event's \`id\` is its position in
the caller's change history: reconnect with it as \`Last-Event-ID\` (or \`?lastEventId=\`) to get the
changes missed meanwhile, in order (at most ${REPLAY_MAX_EVENTS} and 24 hours of them; further behind,
one \`resync\` event says to refetch). The stream first replays, then sends \`ready\`, then goes on
live. A \`resync\` event at any time means: refetch what you show. A comment line every
${DEFAULT_EVENTS_HEARTBEAT_MS / 1_000} s (\`EVENTS_HEARTBEAT_MS\`) keeps proxies from closing it; \`retry:\` advises ${RETRY_MS} ms before
reconnecting. It ends when the access token expires (reconnect with a fresh one), at sign-out of
its session, and when the instance stops: reconnect, with backoff, sending the last id.
Browsers: \`EventSource\` cannot send \`Authorization\`; use \`fetch\` (the client package's
\`subscribeToChanges\`).
`.trim();

/** The id a client resumes after: the `Last-Event-ID` header, else `?lastEventId=`. */
function lastEventIdOf(header: string | undefined, query: string | undefined): number | undefined {
  if (header === undefined) return query === undefined ? undefined : Number(query);
  if (!EVENT_ID_PATTERN.test(header)) {
    throw badRequest('Last-Event-ID must be the id of an event of this stream.', [
      { field: 'Last-Event-ID', message: `Last-Event-ID must be an event id: 1 to ${EVENT_ID_MAX_LENGTH} digits` },
    ]);
  }
  return Number(header);
}

@ApiTags('events')
@Controller('events')
@Authenticated()
export class EventsController {
  constructor(private readonly streams: ChangeStreamsService) {}

  /** The caller's change stream (Server-Sent Events): live sync across tabs and devices. */
  @Get()
  @ApiProduces('text/event-stream')
  @ApiHeader({
    name: 'Last-Event-ID',
    required: false,
    description: 'The `id` of the last event received: the stream starts with the changes after it.',
    schema: { type: 'string', pattern: EVENT_ID_PATTERN.source, maxLength: EVENT_ID_MAX_LENGTH },
  })
  @ApiExtraModels(...Object.values(CHANGE_EVENT_DATA), ...CHANGE_EVENT_FRAMES)
  @ApiOkResponse({
    description: STREAM_DESCRIPTION,
    content: { 'text/event-stream': { schema: CHANGE_STREAM_SCHEMA } },
  })
  @ApiInvalidRequest()
  @ApiProblem(
    429,
    'Too many requests (`Retry-After`), or EVENTS_MAX_STREAMS_PER_USER (10 by default) streams of yours are open already.',
  )
  @ApiProblem(503, 'The instance is stopping or holds its most streams, or the database cannot be reached: retry.')
  async streamChanges(
    @CurrentUser() user: AuthUser,
    @Query() query: ChangeStreamQueryDto,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.streams.stream(user, lastEventIdOf(lastEventId, query.lastEventId), reply);
  }
}
