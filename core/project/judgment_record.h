#pragma once

#include <QString>

namespace fa {

/// One annotator's answer on one triplet (table `judgments`). Undo never deletes a judgment:
/// it sets retractedAtMs, and the triplet can be judged again.
struct JudgmentRecord
{
    static constexpr int kSkip = 0; ///< choice of a skipped triplet

    qint64 id = 0;
    qint64 tripletId = 0;
    qint64 annotatorId = 0;
    QString annotator;       ///< the annotator's name (filled by queries)
    int choice = kSkip;      ///< 1, 2, 3 = the odd face's position; 0 = skipped
    qint64 durationMs = 0;   ///< from the triplet shown to the answer
    qint64 createdAtMs = 0;  ///< milliseconds since the Unix epoch, UTC
    qint64 retractedAtMs = 0; ///< 0 while the judgment stands

    bool isSkip() const { return choice == kSkip; }
};

} // namespace fa
