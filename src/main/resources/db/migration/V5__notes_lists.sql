-- Notes with tags and full-text search, and named lists (groceries, to-do, packing) whose items carry a quantity,
-- a unit and a done mark (the personal-assistant schema's notes and grocery items, generalised to any list).

create table notes (
    id                uuid primary key default gen_random_uuid(),
    user_id           uuid        not null references users (id) on delete cascade,
    title             text,
    content           text        not null,
    -- lower-cased by the service; compared with = any(tags) and indexed for it
    tags              text[]      not null default '{}',
    source_message_id uuid references messages (id) on delete set null,
    created_at        timestamptz not null default now(),
    updated_at        timestamptz not null default now(),
    -- the title weighs more than the body when notes are ranked
    search            tsvector generated always as (
        setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')
        || setweight(to_tsvector('english'::regconfig, content), 'B')) stored,
    check (tags = lower(tags::text)::text[])
);
create index notes_user_idx on notes (user_id, updated_at desc);
create index notes_search_idx on notes using gin (search);
create index notes_tags_idx on notes using gin (tags);

create table lists (
    id         uuid primary key default gen_random_uuid(),
    user_id    uuid        not null references users (id) on delete cascade,
    name       text        not null,
    -- optional: groceries, todo, packing, … (free text, for clients that show lists differently)
    kind       text,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);
-- one list per name per person, whatever the case
create unique index lists_user_name_key on lists (user_id, lower(name));

create table list_items (
    id         uuid primary key default gen_random_uuid(),
    list_id    uuid          not null references lists (id) on delete cascade,
    user_id    uuid          not null references users (id) on delete cascade,
    text       text          not null,
    quantity   numeric(14, 3) check (quantity > 0),
    unit       text,
    category   text,
    done       boolean       not null default false,
    position   integer       not null,
    created_at timestamptz   not null default now(),
    updated_at timestamptz   not null default now()
);
create index list_items_user_list_idx on list_items (user_id, list_id, position);
create index list_items_list_idx on list_items (list_id);
