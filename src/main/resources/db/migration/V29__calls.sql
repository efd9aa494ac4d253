-- Phone calls through Twilio Programmable Voice: each thing a caller said (one <Gather> of a call, numbered by Aide in
-- the Gather's action URL) is one row, keyed by the call and that number, so a redelivered callback finds the turn
-- already started rather than running it again, and the answer waits here for whichever Aide instance Twilio polls
-- (the caller hears "One moment" while the model is slower than Twilio's 15 seconds allow). Kept by the number that
-- called, not by person: a row lives as long as a call (housekeeping deletes it after a day), like the inbox.
create table call_turns (
    call_sid    text        not null check (call_sid ~ '^CA[0-9a-f]{32}$'),
    seq         integer     not null check (seq between 1 and 1000),
    number      text        not null check (number ~ '^\+[1-9][0-9]{6,14}$'),
    state       text        not null default 'running' check (state in ('running', 'answered', 'failed')),
    -- What the caller hears: the reply rewritten to be spoken, or the apology for a turn that failed.
    answer      text,
    started_at  timestamptz not null default now(),
    answered_at timestamptz,
    primary key (call_sid, seq),
    check ((state = 'running') = (answer is null))
);
create index call_turns_started_idx on call_turns (started_at);
