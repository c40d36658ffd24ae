-- Every change to who is signed in or who may do what is announced on the
-- channel sentra_auth, so that a process keeping sessions in memory
-- (account.SessionCache) drops them. NOTIFY is delivered at commit and only
-- then; a rolled-back change announces nothing. Logins (INSERT INTO sessions)
-- are not announced: a new token cannot be in anyone's memory yet.
CREATE FUNCTION notify_auth_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('sentra_auth', TG_TABLE_NAME);
    RETURN NULL;
END $$;

CREATE TRIGGER sessions_auth_notify AFTER UPDATE OR DELETE OR TRUNCATE ON sessions
    FOR EACH STATEMENT EXECUTE FUNCTION notify_auth_change();
CREATE TRIGGER users_auth_notify AFTER UPDATE OR DELETE OR TRUNCATE ON users
    FOR EACH STATEMENT EXECUTE FUNCTION notify_auth_change();
CREATE TRIGGER role_assignments_auth_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON role_assignments
    FOR EACH STATEMENT EXECUTE FUNCTION notify_auth_change();
