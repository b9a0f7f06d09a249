#pragma once

#include "project/triplet_record.h"

#include <QString>

#include <map>
#include <optional>
#include <vector>

namespace fa {

class Project;

/// Triplets and gold answers of a project (tables `triplets`, `gold_answers`). Errors as in
/// FaceStore.
class TripletStore
{
public:
    explicit TripletStore(Project &project) : m_project(project) {}

    /// Adds triplets in one transaction; their ids are written back into `triplets`. A gold
    /// answer (choice 1..3) may be given per triplet in `goldChoices` (same length or empty).
    bool add(std::vector<TripletRecord> &triplets, QString *error,
             const std::vector<int> &goldChoices = {});
    std::vector<TripletRecord> all();
    std::optional<TripletRecord> triplet(qint64 id);
    qint64 count();

    bool setGoldAnswer(qint64 tripletId, int choice, QString *error);
    /// Triplet id -> the correct choice (1..3).
    std::map<qint64, int> goldAnswers();

private:
    Project &m_project;
};

} // namespace fa
