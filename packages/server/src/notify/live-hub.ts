import type { Database } from "../db/database.ts";
import { LIVE_CHANNEL, type LiveSignal } from "./live-signal.ts";

export interface LiveSubscriber {
  onSignal(signal: LiveSignal): void;
  /** The server is shutting down: end the stream. */
  onShutdown(): void;
}

export interface LiveHub {
  /** Resolves once the hub is listening, so no change committed after this is missed. */
  subscribe(subscriber: LiveSubscriber): Promise<() => void>;
  /** Hears every signal for the process's lifetime, as no stream (not counted in `size`). */
  watch(onSignal: (signal: LiveSignal) => void): Promise<void>;
  /** Ends every stream (before the HTTP server closes, which waits for open connections). */
  shutdown(): void;
  /** Stops listening. */
  stop(): Promise<void>;
  readonly size: number;
}

/**
 * One LISTEN on `eskala_live` per process, fanned out in memory to every open stream, so streams
 * cost no database connection each. On PostgreSQL the listening connection is taken at the first
 * stream; on PGlite call `listen()` at start-up, before requests run, since PGlite's LISTEN shares
 * the single connection with whatever transaction is open at that moment.
 */
export function createLiveHub(database: Pick<Database, "listen">, onError: (err: unknown) => void = () => {}) {
  const subscribers = new Set<LiveSubscriber>();
  const watchers: ((signal: LiveSignal) => void)[] = [];
  let listening: Promise<() => Promise<void>> | null = null;

  function dispatch(payload: string) {
    let signal: LiveSignal;
    try {
      signal = JSON.parse(payload) as LiveSignal;
    } catch (err) {
      onError(err);
      return;
    }
    const hear = (fn: () => void) => {
      try {
        fn();
      } catch (err) {
        onError(err);
      }
    };
    for (const w of watchers) hear(() => w(signal));
    for (const s of subscribers) hear(() => s.onSignal(signal));
  }

  function listen(): Promise<() => Promise<void>> {
    listening ??= database.listen(LIVE_CHANNEL, dispatch).catch((err: unknown) => {
      listening = null;
      throw err;
    });
    return listening;
  }

  const hub: LiveHub & { listen: typeof listen } = {
    listen,
    async subscribe(subscriber) {
      await listen();
      subscribers.add(subscriber);
      return () => void subscribers.delete(subscriber);
    },
    async watch(onSignal) {
      await listen();
      watchers.push(onSignal);
    },
    shutdown() {
      for (const s of [...subscribers]) s.onShutdown();
      subscribers.clear();
    },
    async stop() {
      hub.shutdown();
      const current = listening;
      listening = null;
      if (current) await (await current.catch(() => async () => {}))();
    },
    get size() {
      return subscribers.size;
    },
  };
  return hub;
}
