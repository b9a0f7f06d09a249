#pragma once

#include <QStringList>

namespace fa::studio {

/// The projects opened last on this machine, most recent first, at most kMaximum, kept in
/// QSettings ("recentProjects"). Folders that no longer hold a project are dropped when the
/// list is read.
class RecentProjects
{
public:
    static constexpr int kMaximum = 8;

    /// The list, without the folders that are gone (the stored list is updated).
    static QStringList list();
    /// Puts `directory` (made absolute and clean) first.
    static void add(const QString &directory);
    static void remove(const QString &directory);
    static void clear();
};

} // namespace fa::studio
