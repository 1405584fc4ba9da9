-- The automatic handoff a move nobody wrote a note for carries (rules, deadlines, routing, a
-- customer's request): what the customer asked, what was done, the SLA state and why it moved,
-- as structured data the web words in the viewer's language (core escalation/handoff.ts).
alter table escalations add column if not exists handoff jsonb;
