-- A notification carries its kind's parameters (ticket number, subject, rule, target, who
-- mentioned…), so each viewer reads it as a sentence in their own language; title and body stay
-- as the English fallback for API clients and for rows written before this column.
alter table notifications add column params jsonb not null default '{}'::jsonb;
