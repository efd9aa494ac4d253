-- What Aide remembers about a person (the personal-assistant seed's memories and memory_relations): a fact, a
-- preference, a person, a place or a plan, in the person's words. A memory that a later one contradicts is kept as
-- history with superseded_by set; search looks only at current ones. external_id: the id an import gave it, so
-- importing the same item again updates it.
create table memories (
    id                uuid primary key default gen_random_uuid(),
    user_id           uuid        not null references users (id) on delete cascade,
    content           text        not null,
    type              text        not null default 'fact'
                      check (type in ('fact', 'preference', 'person', 'place', 'plan', 'other')),
    tags              text[]      not null default '{}',
    importance        real        not null default 0.5 check (importance >= 0 and importance <= 1),
    source            text        not null check (source in ('asked', 'extracted', 'import', 'api')),
    source_message_id uuid references messages (id) on delete set null,
    external_id       text,
    speaker           text,
    occurred_at       timestamptz,
    superseded_by     uuid references memories (id) on delete set null,
    created_at        timestamptz not null default now(),
    updated_at        timestamptz not null default now(),
    search            tsvector generated always as
                      (to_tsvector('english', coalesce(speaker, '') || ' ' || content)) stored
);
create unique index memories_external_idx on memories (user_id, external_id) where external_id is not null;
create index memories_user_idx on memories (user_id, created_at desc);
create index memories_search_idx on memories using gin (search);

-- "Anna is my sister" relates to "Anna's birthday is 3 May".
create table memory_relations (
    from_id    uuid        not null references memories (id) on delete cascade,
    to_id      uuid        not null references memories (id) on delete cascade,
    relation   text        not null,
    created_at timestamptz not null default now(),
    primary key (from_id, to_id, relation),
    check (from_id <> to_id)
);
create index memory_relations_to_idx on memory_relations (to_id);

-- Every message is searchable by its words too (episodic recall).
alter table messages add column search tsvector generated always as (to_tsvector('english', content)) stored;
create index messages_search_idx on messages using gin (search);

-- The embedding models whose vectors are stored: the one configured, and the one it replaced while the new one's
-- vectors are being made (complete_at null until every item has one). Search uses the newest complete model.
create table embedding_models (
    model       text primary key,
    dimension   int         not null check (dimension between 1 and 16000),
    started_at  timestamptz not null default now(),
    complete_at timestamptz
);

-- Vectors, one per item and model, the model and its dimension recorded with each. user_id is repeated so a search
-- is filtered by person inside the index scan. The HNSW index of a model is made by Aide when it first uses the model
-- (an expression index on vector::vector(dimension), partial on the model), as its dimension is known only then.
create table memory_vectors (
    memory_id  uuid        not null references memories (id) on delete cascade,
    model      text        not null references embedding_models (model) on delete cascade,
    user_id    uuid        not null references users (id) on delete cascade,
    vector     vector      not null,
    created_at timestamptz not null default now(),
    primary key (memory_id, model)
);
create index memory_vectors_user_idx on memory_vectors (user_id, model);

create table message_vectors (
    message_id uuid        not null references messages (id) on delete cascade,
    model      text        not null references embedding_models (model) on delete cascade,
    user_id    uuid        not null references users (id) on delete cascade,
    vector     vector      not null,
    created_at timestamptz not null default now(),
    primary key (message_id, model)
);
create index message_vectors_user_idx on message_vectors (user_id, model);
