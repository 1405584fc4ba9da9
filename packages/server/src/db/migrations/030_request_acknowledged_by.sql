-- A customer's escalation request is received (and the receipt sent) at once; a supervisor then
-- acknowledges it in person: who took it, shown on the ticket, the board and the customer's portal.
alter table escalation_requests add column if not exists acknowledged_by uuid references users (id);
