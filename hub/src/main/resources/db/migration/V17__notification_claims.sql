-- Which hub instance is sending a notification now (docs/scale-out.md): set when it claims one,
-- cleared when the attempt ends. A claim of an instance that is gone (a hub killed while sending,
-- alone or among others) is released when that is known, so the notification is due again at once.
ALTER TABLE notifications ADD COLUMN claimed_by VARCHAR(32);
