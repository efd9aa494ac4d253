-- What an imported memory was said after (the previous item of the same conversation in its import, "speaker: text"):
-- a reply such as "Yes, twice last summer!" means little alone. It is embedded with the memory, and its words are
-- searched at half weight (context_search), apart from the memory's own words (search), which listing by words keeps
-- to. (V25: the re-embedding work took V23, documents from chats V24.)
alter table memories add column context text;
alter table memories add column context_search tsvector
    generated always as (to_tsvector('english', coalesce(context, ''))) stored;
create index memories_context_search_idx on memories using gin (context_search);
-- The period a question names ("on 3 May 2023", "in December") is searched among the memories of that time.
create index memories_user_when_idx on memories (user_id, coalesce(occurred_at, created_at));
