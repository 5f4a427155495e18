import type { ChangeEvent } from './change-events';
import type { ChangeStream } from './change-stream';

/** Changes read at once; a longer backlog is read page after page. */
const PAGE = 100;

/**
 * The streams of one user on this instance, fed by catching up: a notification only says that
 * the user's history grew, and the changes each open stream lacks are read from the audit trail
 * (after the smallest cursor) and sent in seq order. Live delivery and replay are the same read,
 * so a stream never skips nor repeats a change, and one read at a time serves all the user's
 * streams however many notifications arrive (those that arrive meanwhile make one more read).
 */
export class UserFeed {
  readonly streams = new Set<ChangeStream>();
  private reading?: Promise<void>;
  private again = false;

  constructor(private readonly read: (afterSeq: number, limit: number) => Promise<ChangeEvent[]>) {}

  /** Whether some open stream has not seen `seq` yet. */
  lacks(seq: number): boolean {
    return [...this.streams].some((stream) => stream.isOpen && stream.cursor < seq);
  }

  /** Reads and sends what the open streams lack; resolves once a read that began after this call is done. */
  catchUp(): Promise<void> {
    this.again = true;
    return (this.reading ??= this.run());
  }

  private async run(): Promise<void> {
    try {
      while (this.again) {
        this.again = false;
        const open = [...this.streams].filter((stream) => stream.isOpen);
        if (open.length === 0) return;
        let events: ChangeEvent[];
        try {
          events = await this.read(Math.min(...open.map((stream) => stream.cursor)), PAGE);
        } catch {
          // The database cannot be read: the clients refetch; the next notification reads again.
          for (const stream of open) stream.resync('unavailable');
          return;
        }
        for (const stream of open) stream.deliver(events);
        if (events.length === PAGE) this.again = true;
      }
    } finally {
      // In the same synchronous step as the loop's last check: a catchUp() after it starts a new read.
      this.reading = undefined;
    }
  }
}
