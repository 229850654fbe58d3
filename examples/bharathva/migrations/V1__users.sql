create table users (id bigserial primary key, handle text not null unique, created_at timestamptz not null default now());
create table tweets (id bigserial primary key, user_id bigint not null references users(id), body text not null, created_at timestamptz not null default now());
