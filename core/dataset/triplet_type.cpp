#include "dataset/triplet_type.h"

namespace fa {

QString tripletTypeName(TripletType type)
{
    switch (type) {
    case TripletType::OneClass: return QStringLiteral("ONE_CLASS_TRIPLET");
    case TripletType::TwoClass: return QStringLiteral("TWO_CLASS_TRIPLET");
    case TripletType::ThreeClass: return QStringLiteral("THREE_CLASS_TRIPLET");
    }
    return QString();
}

std::optional<TripletType> tripletTypeFromName(const QString &name)
{
    const QString n = name.trimmed().toUpper();
    if (n == QLatin1String("ONE_CLASS_TRIPLET") || n == QLatin1String("ONE"))
        return TripletType::OneClass;
    if (n == QLatin1String("TWO_CLASS_TRIPLET") || n == QLatin1String("TWO"))
        return TripletType::TwoClass;
    if (n == QLatin1String("THREE_CLASS_TRIPLET") || n == QLatin1String("THREE"))
        return TripletType::ThreeClass;
    return std::nullopt;
}

TripletType tripletTypeFromCategories(const QString &a, const QString &b, const QString &c)
{
    if (a.isEmpty() || b.isEmpty() || c.isEmpty())
        return kUnknownCategoryTripletType;
    const bool ab = a.compare(b, Qt::CaseInsensitive) == 0;
    const bool ac = a.compare(c, Qt::CaseInsensitive) == 0;
    const bool bc = b.compare(c, Qt::CaseInsensitive) == 0;
    if (ab && ac)
        return TripletType::OneClass;
    if (ab || ac || bc)
        return TripletType::TwoClass;
    return TripletType::ThreeClass;
}

double tripletMargin(TripletType type)
{
    return type == TripletType::OneClass ? 0.1 : 0.2;
}

} // namespace fa
