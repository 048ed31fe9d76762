#include "journal/identity.h"

#include "core/uuid.h"

namespace brag::identity {

Result<int64_t> Tick(const sql::Database& db) {
  Result<sql::Statement> stmt =
      db.Prepare("UPDATE machine SET lamport = lamport + 1 RETURNING lamport");
  if (!stmt) return stmt.error();
  Result<bool> row = stmt->Step();
  if (!row) return row.error();
  if (!*row) return MakeError("journal", db.path().string() + ": no machine row");
  int64_t lamport = stmt->row().Int();
  if (Status s = stmt->Run(); !s) return s.error();  // finish the statement
  return lamport;
}

Result<Stamp> NewStamp(const sql::Database& db) {
  Result<std::string> uuid = NewUuid();
  if (!uuid) return uuid.error();
  Result<int64_t> lamport = Tick(db);
  if (!lamport) return lamport.error();
  return Stamp{std::move(*uuid), *lamport};
}

Result<std::string> MachineId(const sql::Database& db) {
  Result<sql::Statement> stmt = db.Prepare("SELECT uuid FROM machine WHERE id = 1");
  if (!stmt) return stmt.error();
  Result<bool> row = stmt->Step();
  if (!row) return row.error();
  if (!*row) return MakeError("journal", db.path().string() + ": no machine row");
  return stmt->row().Text();
}

Result<int64_t> Counter(const sql::Database& db) {
  return db.QueryInt("SELECT lamport FROM machine WHERE id = 1");
}

}  // namespace brag::identity
