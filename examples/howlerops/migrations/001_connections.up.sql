create table connections (id uuid primary key, name text not null, driver text not null, created_at timestamptz not null default now());
