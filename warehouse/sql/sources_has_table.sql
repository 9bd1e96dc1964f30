-- Whether the warehouse has a table (older warehouses lack the newer ones). Parameter: name.
SELECT count(*) AS n FROM information_schema.tables WHERE table_name = $name;
