#include "animation/rig_region.h"

#include "common/arkit.h"

namespace fa {

namespace {

RigRegion regionOfShape(ArkitShape shape)
{
    switch (shape) {
    case ArkitShape::BrowDownLeft:
    case ArkitShape::BrowDownRight:
    case ArkitShape::BrowInnerUp:
    case ArkitShape::BrowOuterUpLeft:
    case ArkitShape::BrowOuterUpRight:
        return RigRegion::Brows;
    case ArkitShape::JawForward:
    case ArkitShape::JawRight:
    case ArkitShape::JawLeft:
    case ArkitShape::JawOpen:
        return RigRegion::Jaw;
    case ArkitShape::CheekPuff:
    case ArkitShape::CheekSquintLeft:
    case ArkitShape::CheekSquintRight:
    case ArkitShape::NoseSneerLeft:
    case ArkitShape::NoseSneerRight:
        return RigRegion::Cheeks;
    case ArkitShape::TongueOut:
        return RigRegion::Mouth;
    default:
        break;
    }
    if (int(shape) <= int(ArkitShape::EyeWideRight))
        return RigRegion::Eyes;
    return RigRegion::Mouth; // mouthClose .. mouthUpperUpRight
}

/// Whether `name` is one of `channels` once a namespace prefix and separators are stripped
/// ("rig:Head_Yaw" -> "headyaw").
bool isChannel(const QString &name, const QStringList &channels)
{
    QString bare = name.mid(qMax(name.lastIndexOf(QLatin1Char(':')),
                                 name.lastIndexOf(QLatin1Char('.')))
                            + 1)
                       .toLower();
    bare.remove(QLatin1Char('_'));
    bare.remove(QLatin1Char(' '));
    for (const QString &channel : channels) {
        if (bare == channel.toLower())
            return true;
    }
    return false;
}

} // namespace

RigRegion rigRegion(const QString &controlName)
{
    const int shape = arkit::indexOf(controlName);
    if (shape >= 0)
        return regionOfShape(ArkitShape(shape));
    if (isChannel(controlName, arkit::headChannelNames()))
        return RigRegion::Head;
    if (isChannel(controlName, arkit::rotationChannelNames().mid(arkit::kHeadChannelCount)))
        return RigRegion::Eyes; // the eyes' yaw and pitch
    return RigRegion::Other;
}

QString rigRegionName(RigRegion region)
{
    switch (region) {
    case RigRegion::Brows:
        return QStringLiteral("Brows");
    case RigRegion::Eyes:
        return QStringLiteral("Eyes");
    case RigRegion::Mouth:
        return QStringLiteral("Mouth");
    case RigRegion::Jaw:
        return QStringLiteral("Jaw");
    case RigRegion::Cheeks:
        return QStringLiteral("Cheeks");
    case RigRegion::Head:
        return QStringLiteral("Head");
    case RigRegion::Other:
        break;
    }
    return QStringLiteral("Other");
}

} // namespace fa
