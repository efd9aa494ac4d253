-- Expenses and monthly budgets. Amounts are exact decimals (4 places of scale, enough for every ISO-4217 currency);
-- the API writes them with the currency's own number of decimals (USD 2, JPY 0).
-- Categories are free text normalised to lower case: a fixed set is suggested (food, groceries, transport, …) and a
-- person's own categories are simply new values, so no table of categories is needed.
create table expenses (
    id                uuid primary key default gen_random_uuid(),
    user_id           uuid          not null references users (id) on delete cascade,
    amount            numeric(19,4) not null check (amount > 0),
    currency          char(3)       not null check (currency ~ '^[A-Z]{3}$'),
    category          text          not null check (category = lower(category) and length(category) between 1 and 40),
    description       text,
    merchant          text,
    spent_on          date          not null,
    source_message_id uuid,
    created_at        timestamptz   not null default now(),
    updated_at        timestamptz   not null default now()
);
-- Every query is per user and almost every one by a range of days: lists, summaries, budgets, export. The included
-- columns let a summary be answered from the index alone (an index-only scan), even over a year of expenses.
create index expenses_user_spent_on on expenses (user_id, spent_on) include (category, currency, amount);

create table budgets (
    user_id    uuid          not null references users (id) on delete cascade,
    category   text          not null check (category = lower(category) and length(category) between 1 and 40),
    amount     numeric(19,4) not null check (amount > 0),
    currency   char(3)       not null check (currency ~ '^[A-Z]{3}$'),
    updated_at timestamptz   not null default now(),
    primary key (user_id, category)
);
