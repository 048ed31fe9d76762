// The identity of the journal's records (schema 7, DESIGN §12): each event,
// prompt and note row has a UUID, given when it is made, and a Lamport
// clock, the time of its latest change; the journal has a machine UUID and
// a Lamport counter, the highest clock it has issued or seen (the `machine`
// table, one row). Every write that makes or changes one of those rows
// takes its clock here, inside its own transaction (journal_write.h), so
// that the counter and the rows it stamped commit together.
#pragma once

#include <cstdint>
#include <string>

#include "core/result.h"
#include "journal/sqlite.h"

namespace brag::identity {

// A new record's identity: a fresh UUID and the next clock.
struct Stamp {
  std::string uuid;
  int64_t lamport = 0;
};

// The next Lamport time: the counter + 1, stored. Only inside a write
// transaction.
Result<int64_t> Tick(const sql::Database& db);

// A new UUID and Tick(), for a row about to be inserted.
Result<Stamp> NewStamp(const sql::Database& db);

// This journal's machine UUID, and its Lamport counter as it is now.
Result<std::string> MachineId(const sql::Database& db);
Result<int64_t> Counter(const sql::Database& db);

}  // namespace brag::identity
