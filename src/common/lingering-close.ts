import type { FastifyReply, FastifyRequest } from 'fastify';

/** How much of a refused body is still read (and dropped) after its answer, at most. */
export const LINGER_MAX_BYTES = 8 * 1024 * 1024;
/** How long, at most, the rest of a refused body may take to arrive (nginx's `lingering_time`). */
const LINGER_MAX_MS = 30_000;

/**
 * An answer sent before its request's body was read — 413 (too large), 415 (not JSON) — would
 * close the connection while the client is still sending. The client's writes then meet a reset,
 * which also throws away the answer it had not read yet: Node's fetch reports EPIPE or
 * ECONNRESET instead of the problem document. So, as nginx's lingering close does, the rest of
 * the body is read and dropped, up to LINGER_MAX_BYTES and LINGER_MAX_MS, and the connection is
 * kept (Fastify asked to close it): once the body has arrived it is ready for the next request.
 * A body declared larger than that bound is not worth reading: that connection closes at once.
 */
export function lingerOverUnreadBody(request: FastifyRequest, reply: FastifyReply): void {
  const incoming = request.raw;
  if (incoming.complete || Number(request.headers['content-length']) > LINGER_MAX_BYTES) return;
  reply.removeHeader('connection');
  const { socket } = incoming;
  const cut = () => socket.destroy();
  const timer = setTimeout(cut, LINGER_MAX_MS).unref();
  let dropped = 0;
  incoming.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > LINGER_MAX_BYTES) cut();
  });
  const arrived = () => clearTimeout(timer);
  incoming.once('end', arrived).once('close', arrived);
}
