/** One item's outcome in a group: its value, or the error only its caller sees. */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

export interface GroupCommit<I, O> {
  submit(item: I): Promise<O>;
}

/**
 * Group commit: changes that arrive while earlier ones are being written wait, and go together in
 * the next group (one transaction, a few statements for all of them). At low load a group is one
 * change, started in the same turn of the event loop, so nothing waits that would not have; under
 * load the groups grow by themselves to what arrived during the previous one. At most `inFlight`
 * groups run at once (one keeps the database busy while the next one gathers), at most `max` items
 * each. `run` settles every item of its group: one bad item must not fail its neighbours.
 */
export function createGroupCommit<I, O>(opts: {
  max: number;
  inFlight: number;
  run: (items: I[]) => Promise<Settled<O>[]>;
}): GroupCommit<I, O> {
  const waiting: { item: I; resolve: (v: O) => void; reject: (e: unknown) => void }[] = [];
  let running = 0;
  let scheduled = false;

  function pump() {
    scheduled = false;
    while (running < opts.inFlight && waiting.length > 0) {
      const group = waiting.splice(0, opts.max);
      running++;
      opts
        .run(group.map((w) => w.item))
        .then(
          (results) =>
            group.forEach((w, i) => {
              const r = results[i];
              if (!r) w.reject(new Error("group commit: no result for an item"));
              else if (r.ok) w.resolve(r.value);
              else w.reject(r.error);
            }),
          (err: unknown) => group.forEach((w) => w.reject(err)),
        )
        .finally(() => {
          running--;
          pump();
        });
    }
  }

  return {
    submit(item) {
      return new Promise<O>((resolve, reject) => {
        waiting.push({ item, resolve, reject });
        // Requests parsed in this same turn join the group: start it once the turn is over.
        if (!scheduled && running < opts.inFlight) {
          scheduled = true;
          setImmediate(pump);
        }
      });
    },
  };
}
