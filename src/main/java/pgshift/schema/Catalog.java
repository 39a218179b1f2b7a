package pgshift.schema;

/**
 * The catalog queries a snapshot is made of, one per object family. Every definition is printed
 * by the server itself, on a connection whose search_path is pg_catalog only, so names come out
 * schema-qualified and two databases print the same object the same way. Each query takes the
 * schemas in scope as its one parameter (text[]) and leaves out objects that belong to an
 * extension.
 */
final class Catalog {

    private Catalog() {
    }

    /** Not a member of an extension: an extension's objects are the extension's. */
    private static String ownObject(String catalog, String oid) {
        return " AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = '" + catalog + "'::regclass AND e.objid = "
                + oid + " AND e.deptype = 'e')";
    }

    /**
     * The grants of an object as "grantee=PRIV, PRIV;grantee=..." sorted, the owner's own left out
     * (who owns an object depends on who ran the migrations, not on what they say); a null ACL
     * stands for the server's default one.
     */
    private static String grants(String acl, String defaultAcl, String owner) {
        String both = "coalesce(" + acl + ", " + defaultAcl + ")";
        String expanded = "CASE WHEN cardinality(" + both + ") > 0 THEN " + both + " END"; // aclexplode refuses '{}'
        String nothingWhenNull = defaultAcl.equals("NULL") ? "CASE WHEN " + acl + " IS NOT NULL THEN " : "";
        return "(" + nothingWhenNull + "(SELECT string_agg(g, ';' ORDER BY g) FROM (SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' "
                + "ELSE pg_get_userbyid(a.grantee) END || '=' || string_agg(a.privilege_type || CASE WHEN "
                + "a.is_grantable THEN ' with grant option' ELSE '' END, ', ' ORDER BY a.privilege_type) AS g "
                + "FROM aclexplode(" + expanded + ") a WHERE a.grantee <> " + owner + " GROUP BY a.grantee) x)"
                + (nothingWhenNull.isEmpty() ? "" : " END") + ")";
    }

    static final String SCHEMAS = "SELECT n.nspname, obj_description(n.oid, 'pg_namespace'), "
            + grants("n.nspacl", "acldefault('n', n.nspowner)", "n.nspowner") + " FROM pg_namespace n WHERE n.nspname = ANY(?)";

    /** Every schema a snapshot may cover: neither the server's own nor an extension's. */
    static final String CANDIDATE_SCHEMAS = "SELECT n.nspname FROM pg_namespace n WHERE n.nspname !~ '^pg_' "
            + "AND n.nspname <> 'information_schema'" + ownObject("pg_namespace", "n.oid") + " ORDER BY 1";

    static final String EXTENSIONS = "SELECT n.nspname, x.extname, obj_description(x.oid, 'pg_extension') "
            + "FROM pg_extension x JOIN pg_namespace n ON n.oid = x.extnamespace WHERE n.nspname = ANY(?)" + " ORDER BY 1, 2";

    /** Tables, views and sequences; a sequence's owning column is named, identity sequences are their column's. */
    static final String RELATIONS = "SELECT n.nspname, c.relname, c.relkind, c.relpersistence, c.relrowsecurity, "
            + "c.relforcerowsecurity, array_to_string(c.reloptions, ', '), "
            + "CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END, "
            + "CASE WHEN c.relispartition THEN (SELECT quote_ident(pn.nspname) || '.' || quote_ident(p.relname) "
            + "FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent JOIN pg_namespace pn ON pn.oid = p.relnamespace "
            + "WHERE i.inhrelid = c.oid) || ' ' || pg_get_expr(c.relpartbound, c.oid) END, "
            + "CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid, true) END, "
            + "(SELECT format_type(s.seqtypid, NULL) || ' start ' || s.seqstart || ' increment ' || s.seqincrement "
            + "|| ' minvalue ' || s.seqmin || ' maxvalue ' || s.seqmax || ' cache ' || s.seqcache "
            + "|| CASE WHEN s.seqcycle THEN ' cycle' ELSE '' END FROM pg_sequence s WHERE s.seqrelid = c.oid), "
            + "(SELECT d.deptype::text || rn.nspname || chr(9) || r.relname || chr(9) || a.attname "
            + "FROM pg_depend d JOIN pg_class r ON r.oid = d.refobjid JOIN pg_namespace rn ON rn.oid = r.relnamespace "
            + "JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid WHERE d.classid = "
            + "'pg_class'::regclass AND d.objid = c.oid AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i') "
            + "LIMIT 1), obj_description(c.oid, 'pg_class'), "
            + grants("c.relacl", "acldefault(CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END::\"char\", c.relowner)",
            "c.relowner")
            + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            + "WHERE c.relkind IN ('r', 'p', 'f', 'v', 'm', 'S') AND n.nspname = ANY(?)" + ownObject("pg_class", "c.oid") + " ORDER BY 1, 2";

    /** Columns of tables: type, collation, not null, default, identity (with its sequence's options), generation. */
    static final String COLUMNS = "SELECT n.nspname, c.relname, a.attname, format_type(a.atttypid, a.atttypmod), "
            + "a.attnotnull, pg_get_expr(ad.adbin, ad.adrelid), a.attidentity, a.attgenerated, "
            + "CASE WHEN a.attcollation <> t.typcollation THEN (SELECT quote_ident(cn.nspname) || '.' || "
            + "quote_ident(co.collname) FROM pg_collation co JOIN pg_namespace cn ON cn.oid = co.collnamespace "
            + "WHERE co.oid = a.attcollation) END, "
            + "CASE WHEN a.attidentity <> '' THEN (SELECT 'start ' || s.seqstart || ' increment ' || s.seqincrement "
            + "|| ' minvalue ' || s.seqmin || ' maxvalue ' || s.seqmax || ' cache ' || s.seqcache "
            + "|| CASE WHEN s.seqcycle THEN ' cycle' ELSE '' END FROM pg_depend d JOIN pg_sequence s ON s.seqrelid = d.objid "
            + "WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass AND d.refobjid = c.oid "
            + "AND d.refobjsubid = a.attnum AND d.deptype = 'i' LIMIT 1) END, "
            + "col_description(c.oid, a.attnum), " + grants("a.attacl", "NULL", "c.relowner") + ", a.attislocal"
            + " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
            + "JOIN pg_type t ON t.oid = a.atttypid LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum "
            + "WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'f') AND n.nspname = ANY(?)"
            + ownObject("pg_class", "c.oid") + " ORDER BY n.nspname, c.relname, a.attnum";

    /** Constraints of tables; NOT NULL is the column's (PostgreSQL 18 also lists it here). */
    static final String CONSTRAINTS = "SELECT n.nspname, c.relname, k.conname, pg_get_constraintdef(k.oid), "
            + "obj_description(k.oid, 'pg_constraint'), k.conislocal FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid "
            + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE k.contype NOT IN ('n', 't') AND n.nspname = ANY(?)"
            + ownObject("pg_class", "c.oid") + " ORDER BY 1, 2, 3";

    /** Indexes that are not a constraint's own (those are the constraint); an invalid one says so. */
    static final String INDEXES = "SELECT n.nspname, i.relname, t.relname, pg_get_indexdef(i.oid), x.indisvalid, "
            + "obj_description(i.oid, 'pg_class'), EXISTS (SELECT 1 FROM pg_inherits h WHERE h.inhrelid = i.oid), t.relkind "
            + "FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
            + "JOIN pg_class t ON t.oid = x.indrelid JOIN pg_namespace n ON n.oid = i.relnamespace "
            + "WHERE n.nspname = ANY(?) AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid "
            + "AND k.conrelid = x.indrelid AND k.contype IN ('p', 'u', 'x'))" + ownObject("pg_class", "t.oid") + " ORDER BY 1, 2";

    static final String ROUTINES = "SELECT n.nspname, p.proname, pg_get_function_identity_arguments(p.oid), p.prokind, "
            + "CASE WHEN p.prokind <> 'a' THEN pg_get_functiondef(p.oid) ELSE 'aggregate returning ' "
            + "|| format_type(p.prorettype, NULL) END, obj_description(p.oid, 'pg_proc'), "
            + grants("p.proacl", "acldefault('f', p.proowner)", "p.proowner") + " FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
            + "WHERE n.nspname = ANY(?)" + ownObject("pg_proc", "p.oid") + " ORDER BY 1, 2, 3";

    static final String TRIGGERS = "SELECT n.nspname, c.relname, g.tgname, pg_get_triggerdef(g.oid), g.tgenabled, "
            + "obj_description(g.oid, 'pg_trigger'), coalesce((to_jsonb(g) ->> 'tgparentid')::oid, 0) <> 0 "
            + "FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid "
            + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE NOT g.tgisinternal AND n.nspname = ANY(?)"
            + ownObject("pg_class", "c.oid") + " ORDER BY 1, 2, 3";

    static final String POLICIES = "SELECT n.nspname, c.relname, p.polname, p.polcmd, p.polpermissive, "
            + "(SELECT string_agg(r.name, ', ' ORDER BY r.name) FROM (SELECT CASE WHEN o = 0 THEN 'public' "
            + "ELSE pg_get_userbyid(o) END AS name FROM unnest(p.polroles) o) r), "
            + "pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid), "
            + "obj_description(p.oid, 'pg_policy') FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid "
            + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ANY(?)" + ownObject("pg_class", "c.oid") + " ORDER BY 1, 2, 3";

    /** Enums (labels in order), domains (base, default, constraints), composite and range types. */
    static final String TYPES = "SELECT n.nspname, t.typname, t.typtype, CASE t.typtype "
            + "WHEN 'e' THEN 'enum (' || coalesce((SELECT string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder) "
            + "FROM pg_enum e WHERE e.enumtypid = t.oid), '') || ')' "
            + "WHEN 'd' THEN 'domain ' || format_type(t.typbasetype, t.typtypmod) "
            + "|| CASE WHEN t.typnotnull THEN ' not null' ELSE '' END || coalesce(' default ' || t.typdefault, '') "
            + "|| coalesce((SELECT string_agg(' constraint ' || quote_ident(k.conname) || ' ' || pg_get_constraintdef(k.oid), '' "
            + "ORDER BY k.conname) FROM pg_constraint k WHERE k.contypid = t.oid AND k.contype <> 'n'), '') "
            + "WHEN 'c' THEN 'composite (' || coalesce((SELECT string_agg(quote_ident(a.attname) || ' ' "
            + "|| format_type(a.atttypid, a.atttypmod), ', ' ORDER BY a.attnum) FROM pg_attribute a WHERE a.attrelid = t.typrelid "
            + "AND a.attnum > 0 AND NOT a.attisdropped), '') || ')' "
            + "ELSE (SELECT 'range of ' || format_type(r.rngsubtype, NULL) FROM pg_range r WHERE r.rngtypid = t.oid) END, "
            + "obj_description(t.oid, 'pg_type'), " + grants("t.typacl", "acldefault('T', t.typowner)", "t.typowner")
            + ", (SELECT array_agg(e.enumlabel ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid), "
            + "format_type(t.typbasetype, t.typtypmod), t.typnotnull, t.typdefault, (SELECT string_agg(' CONSTRAINT ' "
            + "|| quote_ident(k.conname) || ' ' || pg_get_constraintdef(k.oid), '' ORDER BY k.conname) FROM pg_constraint k "
            + "WHERE k.contypid = t.oid AND k.contype <> 'n')"
            + " FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = ANY(?) "
            + "AND (t.typtype IN ('e', 'd', 'r') OR (t.typtype = 'c' AND EXISTS (SELECT 1 FROM pg_class k "
            + "WHERE k.oid = t.typrelid AND k.relkind = 'c')))" + ownObject("pg_type", "t.oid") + " ORDER BY 1, 2";

    /**
     * Default privileges the connecting role (who runs the migrations) set in a schema in scope,
     * per kind of object and grantee; those of other roles (a Supabase stack's own) are theirs.
     */
    static final String DEFAULT_PRIVILEGES = "SELECT n.nspname, d.defaclobjtype::text, "
            + grants("d.defaclacl", "NULL", "d.defaclrole") + " FROM pg_default_acl d JOIN pg_namespace n "
            + "ON n.oid = d.defaclnamespace WHERE d.defaclrole = (SELECT oid FROM pg_roles WHERE rolname = current_user) "
            + "AND n.nspname = ANY(?)" + " ORDER BY 1, 2";

    /**
     * Publications (a database's, not a schema's) that publish a table in scope, all tables, or
     * none yet; one that publishes only tables out of scope (a Supabase service's) is left out.
     */
    static final String PUBLICATIONS = "SELECT p.pubname, p.puballtables, p.pubinsert, p.pubupdate, p.pubdelete, "
            + "p.pubtruncate FROM pg_publication p WHERE p.puballtables OR NOT EXISTS (SELECT 1 FROM pg_publication_rel r "
            + "WHERE r.prpubid = p.oid) OR EXISTS (SELECT 1 FROM pg_publication_rel r JOIN pg_class c ON c.oid = r.prrelid "
            + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE r.prpubid = p.oid AND n.nspname = ANY(?))" + " ORDER BY 1";

    /** Tables named in a publication (not FOR ALL TABLES), with the row filter of PostgreSQL 15 and later. */
    static final String PUBLISHED = "SELECT n.nspname, c.relname, p.pubname, (SELECT to_jsonb(t) ->> 'rowfilter' "
            + "FROM pg_publication_tables t WHERE t.pubname = p.pubname AND t.schemaname = n.nspname AND t.tablename = c.relname) "
            + "FROM pg_publication_rel r JOIN pg_publication p ON p.oid = r.prpubid JOIN pg_class c ON c.oid = r.prrelid "
            + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ANY(?)" + " ORDER BY 1, 2, 3";
}
