// SQL that takes a journal of schema 7 back to what schema 6 wrote, for the
// tests that build an older journal by undoing the later migrations: run it
// (sqlite3_exec runs all its statements) before undoing those of 6 and
// below.
#pragma once

namespace brag::test {

inline constexpr const char* kRewindIdentities =
    "DROP TRIGGER events_uuid_insert; DROP TRIGGER events_uuid_update;"
    " DROP TRIGGER prompts_uuid_insert; DROP TRIGGER prompts_uuid_update;"
    " DROP TRIGGER notes_uuid_insert; DROP TRIGGER notes_uuid_update;"
    " DROP INDEX events_uuid; DROP INDEX prompts_uuid; DROP INDEX notes_uuid;"
    " ALTER TABLE events DROP COLUMN uuid; ALTER TABLE events DROP COLUMN lamport;"
    " ALTER TABLE prompts DROP COLUMN uuid; ALTER TABLE prompts DROP COLUMN lamport;"
    " ALTER TABLE notes DROP COLUMN uuid; ALTER TABLE notes DROP COLUMN lamport;"
    " DROP TABLE machine; PRAGMA user_version = 6";

}  // namespace brag::test
