create table saved_queries (id uuid primary key, connection_id uuid not null references connections(id), sql text not null);
