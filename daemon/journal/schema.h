// The journal's schema: forward migrations indexed by PRAGMA user_version,
// and the connection settings every read-write handle uses.
#pragma once

#include <filesystem>

#include "core/result.h"
#include "journal/sqlite.h"

namespace brag::schema {

// The version the last migration reaches (Journal::kSchemaVersion).
int LatestVersion();

// PRAGMA user_version, without writing anything (safe on a file that is not
// ours). Not a database: code "journal".
Result<int> ReadVersion(const sql::Database& db);

// The user_version in the header of the file at `path`, read without
// SQLite so that a file we must refuse gets no -wal/-shm beside it either.
// 0 for an empty or missing file. Not a database: code "journal". The
// header may lag behind a WAL file; ReadVersion is the authority.
Result<int> PeekVersion(const std::filesystem::path& path);

// The page size of a journal this build creates.
inline constexpr int kPageSize = 16384;

// WAL, synchronous=FULL, foreign keys, for a read-write handle; kPageSize
// for a file with no page yet. Changes the file (journal_mode): call only
// once the version is known to be supported.
Status Configure(const sql::Database& db);

// Applies the migrations from the file's version to LatestVersion() in one
// transaction. A version newer than LatestVersion() (written meanwhile by
// another brag): code "journal_too_new".
Status Migrate(sql::Database& db);

// The "journal_too_new" error for the journal at `path`.
Error TooNew(const std::filesystem::path& path, int version);

}  // namespace brag::schema
