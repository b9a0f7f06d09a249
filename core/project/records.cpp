#include "project/source_record.h"
#include "project/triplet_record.h"

namespace fa {

QString sourceKindName(SourceRecord::Kind kind)
{
    return kind == SourceRecord::Kind::Video ? QStringLiteral("video") : QStringLiteral("image");
}

QString tripletOriginName(TripletRecord::Origin origin)
{
    switch (origin) {
    case TripletRecord::Origin::Random: return QStringLiteral("random");
    case TripletRecord::Origin::Gold: return QStringLiteral("gold");
    case TripletRecord::Origin::Uncertainty: return QStringLiteral("uncertainty");
    case TripletRecord::Origin::Imported: return QStringLiteral("imported");
    }
    return QString();
}

bool tripletOriginFromName(const QString &name, TripletRecord::Origin *origin)
{
    for (auto candidate : {TripletRecord::Origin::Random, TripletRecord::Origin::Gold,
                           TripletRecord::Origin::Uncertainty, TripletRecord::Origin::Imported}) {
        if (name == tripletOriginName(candidate)) {
            *origin = candidate;
            return true;
        }
    }
    return false;
}

} // namespace fa
