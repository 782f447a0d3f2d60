-- Compartments: row-level security by group on a pushed graph, set up by
-- `linkscope compartments URL --schema S` (run again at will: every step
-- is idempotent). {s} is the quoted schema. See docs/postgres-server.md.
--
-- A row's `compartment` names a role (a group); NULL means every reader
-- of the schema sees it. A reader sees a row when the role it logged in
-- as (session_user) is a member of that group, directly or not. SET ROLE
-- is not honoured: the search functions below run as their owner, where
-- only session_user still names the analyst, and the policies use the
-- same rule so that search and expansion always agree.

ALTER TABLE {s}.entities ADD COLUMN IF NOT EXISTS compartment text;
ALTER TABLE {s}.relations ADD COLUMN IF NOT EXISTS compartment text;
ALTER TABLE {s}.excerpts ADD COLUMN IF NOT EXISTS compartment text;

-- The groups the logged-in role belongs to. A compartment naming no role
-- hides its rows from everyone but the owner and superusers (pg_has_role
-- on an unknown name would fail every query instead).
CREATE OR REPLACE FUNCTION {s}.visible_compartments() RETURNS text[]
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT coalesce(array_agg(r.rolname::text), ARRAY[]::text[])
    FROM pg_catalog.pg_roles r
    WHERE pg_catalog.pg_has_role(session_user, r.oid, 'MEMBER')
$$;

-- Policies for reading only: a reader that is not the owner cannot write
-- (no policy allows it). `(SELECT …)` makes the group list an InitPlan,
-- computed once per query rather than once per row.
ALTER TABLE {s}.entities ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS compartment ON {s}.entities;
CREATE POLICY compartment ON {s}.entities FOR SELECT USING (
    compartment IS NULL OR compartment = ANY ((SELECT {s}.visible_compartments())::text[])
);

ALTER TABLE {s}.excerpts ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS compartment ON {s}.excerpts;
CREATE POLICY compartment ON {s}.excerpts FOR SELECT USING (
    compartment IS NULL OR compartment = ANY ((SELECT {s}.visible_compartments())::text[])
);

-- A relation shows when it and both its ends do: a visible relation never
-- names an entity the reader may not see. (The sub-selects on entities
-- are filtered by entities' own policy.)
ALTER TABLE {s}.relations ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS compartment ON {s}.relations;
CREATE POLICY compartment ON {s}.relations FOR SELECT USING (
    (compartment IS NULL OR compartment = ANY ((SELECT {s}.visible_compartments())::text[]))
    AND EXISTS (SELECT 1 FROM {s}.entities e WHERE e.id = subject_id)
    AND EXISTS (SELECT 1 FROM {s}.entities e WHERE e.id = object_id)
);

-- A citation shows when its relation and its excerpt do.
ALTER TABLE {s}.relation_excerpts ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS compartment ON {s}.relation_excerpts;
CREATE POLICY compartment ON {s}.relation_excerpts FOR SELECT USING (
    EXISTS (SELECT 1 FROM {s}.relations r WHERE r.id = relation_id)
    AND EXISTS (SELECT 1 FROM {s}.excerpts x WHERE x.id = excerpt_id)
);

-- Search. Under row-level security PostgreSQL evaluates the policy before
-- any condition whose operator is not leakproof, so `ILIKE` and `@@` can no
-- longer be index conditions and search scans the table. These functions
-- run as the tables' owner, whom the policies do not apply to, and filter
-- by the same rule themselves: the trigram and full-text indexes serve
-- them. Same answers, in the same order, as queries.rs's `search` and
-- `excerpt_search`. PL/pgSQL planned for each call's values (a plan made
-- for any pattern, as a SQL function's is, may pass the index by).
CREATE OR REPLACE FUNCTION {s}.search_names(pattern text, exact text, max_rows bigint)
RETURNS TABLE (id bigint, kind text, name text)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
SET plan_cache_mode = force_custom_plan
AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    SELECT e.id, e.kind, e.name FROM {s}.entities e
    WHERE e.name ILIKE '%' || pattern || '%'
      AND (e.compartment IS NULL OR e.compartment = ANY ((SELECT {s}.visible_compartments())::text[]))
    ORDER BY lower(e.name) = lower(exact) DESC, e.name ILIKE pattern || '%' DESC, length(e.name), e.id
    LIMIT max_rows;
END
$$;

CREATE OR REPLACE FUNCTION {s}.search_excerpts(words text, max_rows bigint)
RETURNS TABLE (id bigint, text text)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
SET plan_cache_mode = force_custom_plan
AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    SELECT x.id, x.text FROM {s}.excerpts x
    WHERE to_tsvector('simple', x.text) @@ plainto_tsquery('simple', words)
      AND (x.compartment IS NULL OR x.compartment = ANY ((SELECT {s}.visible_compartments())::text[]))
    ORDER BY x.id
    LIMIT max_rows;
END
$$;

-- Owned by the tables' owner (not by whoever ran this, say a superuser):
-- a security-definer function has its owner's rights, and needs no more.
DO $owner$
DECLARE
    owner text := (SELECT c.relowner::regrole::text FROM pg_catalog.pg_class c
                   WHERE c.oid = '{s}.entities'::regclass);
BEGIN
    EXECUTE format('ALTER FUNCTION {s}.visible_compartments() OWNER TO %s', owner);
    EXECUTE format('ALTER FUNCTION {s}.search_names(text, text, bigint) OWNER TO %s', owner);
    EXECUTE format('ALTER FUNCTION {s}.search_excerpts(text, bigint) OWNER TO %s', owner);
END
$owner$;
