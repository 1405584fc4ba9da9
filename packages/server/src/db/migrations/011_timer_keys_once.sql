-- A deadline fires once: a timer's key (ticket, target, level and instant) is unique among ALL
-- timers, fired or not, so a plan that sets a deadline again after it fired (an SLA recompute that
-- raced a worker's firing) inserts nothing (`on conflict (key) do nothing`). Before, the key was
-- unique only among unfired timers, and such a plan armed the same deadline a second time.

-- Unfired timers that repeat a fired one's key would fire that deadline again: they go.
delete from timers u
where u.fired_at is null
  and exists (select 1 from timers f where f.key = u.key and f.fired_at is not null);

-- Deadlines that already fired more than once keep their history, the repeats under a marked key.
update timers t set key = t.key || ':repeat:' || t.id
from (
  select id, row_number() over (partition by key order by fired_at, id) as n
  from timers where fired_at is not null
) r
where r.id = t.id and r.n > 1;

drop index timers_key;
create unique index timers_key on timers (key);
