-- The front end an audited action came through (web, api, web_chat, slack, mattermost); older rows have none.
ALTER TABLE audit ADD COLUMN source VARCHAR(16);

-- A server's own sample interval; NULL follows the hub's --metrics-interval.
ALTER TABLE servers ADD COLUMN metrics_interval_seconds INTEGER;
