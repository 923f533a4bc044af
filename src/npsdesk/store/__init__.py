"""The store: schema, migrations, connections and the SQL that reads and writes cases."""
