-- Documents a person gives Aide (the personal-assistant seed's documents and document_chunks): the file is kept only
-- until it is read (content, cleared when processing ends); its passages are searchable by meaning and by words, each
-- with its page or section and its place in the text, so an answer can say where it comes from.
create table documents (
    id           uuid primary key default gen_random_uuid(),
    user_id      uuid        not null references users (id) on delete cascade,
    title        text        not null,
    filename     text,
    media_type   text        not null,
    size_bytes   bigint      not null check (size_bytes >= 0),
    status       text        not null default 'pending'
                 check (status in ('pending', 'processing', 'ready', 'failed')),
    error        text,
    pages        int,
    chunks_total int         not null default 0,
    chunks_done  int         not null default 0,
    content      bytea,
    created_at   timestamptz not null default now(),
    updated_at   timestamptz not null default now()
);
create index documents_user_idx on documents (user_id, created_at desc);

create table document_chunks (
    id          uuid primary key default gen_random_uuid(),
    document_id uuid        not null references documents (id) on delete cascade,
    user_id     uuid        not null references users (id) on delete cascade,
    ordinal     int         not null,
    text        text        not null,
    page        int,
    section     text,
    char_start  int         not null,
    char_end    int         not null,
    search      tsvector generated always as (to_tsvector('english', coalesce(section, '') || ' ' || text)) stored,
    unique (document_id, ordinal)
);
create index document_chunks_user_idx on document_chunks (user_id);
create index document_chunks_search_idx on document_chunks using gin (search);

create table chunk_vectors (
    chunk_id   uuid        not null references document_chunks (id) on delete cascade,
    model      text        not null references embedding_models (model) on delete cascade,
    user_id    uuid        not null references users (id) on delete cascade,
    vector     vector      not null,
    created_at timestamptz not null default now(),
    primary key (chunk_id, model)
);
create index chunk_vectors_user_idx on chunk_vectors (user_id, model);
