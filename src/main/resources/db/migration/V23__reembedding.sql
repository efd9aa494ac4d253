-- Re-embedding after a change of model (embedding.Reembedding): how far it has come, so /health can show it and a
-- restart goes on where it stopped. items: how many items there were when it began (counted once); reembedded: the
-- vectors it has made since; resume_at: where it goes on ({"source": "messages", "after": "<id>", "found": true}:
-- the kind of item it walks, in id order, the last id it went past, and whether this pass found any item without a
-- vector — a pass that finds none makes the model complete).
alter table embedding_models
    add column items      bigint,
    add column reembedded bigint not null default 0,
    add column resume_at  jsonb;
