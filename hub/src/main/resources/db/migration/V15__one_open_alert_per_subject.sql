-- One open alert per rule, server and subject, which several hub instances judging the same server
-- in turn (its agent moved) must not break: an older duplicate, should one exist, is resolved first.
UPDATE alerts SET state = 'resolved', resolved_at = started_at
 WHERE resolved_at IS NULL AND EXISTS (SELECT 1 FROM alerts newer WHERE newer.resolved_at IS NULL
   AND newer.rule_id = alerts.rule_id AND newer.server_id = alerts.server_id AND newer.subject = alerts.subject
   AND (newer.started_at > alerts.started_at OR (newer.started_at = alerts.started_at AND newer.id > alerts.id)));
CREATE UNIQUE INDEX alerts_open_once ON alerts (rule_id, server_id, subject) WHERE resolved_at IS NULL;
