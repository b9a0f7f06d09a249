#include "common/arkit.h"

#include <QHash>
#include <QRegularExpression>

namespace fa::arkit {
namespace {

const char *const kPascal[kShapeCount] = {
    "EyeBlinkLeft", "EyeLookDownLeft", "EyeLookInLeft", "EyeLookOutLeft", "EyeLookUpLeft",
    "EyeSquintLeft", "EyeWideLeft", "EyeBlinkRight", "EyeLookDownRight", "EyeLookInRight",
    "EyeLookOutRight", "EyeLookUpRight", "EyeSquintRight", "EyeWideRight", "JawForward",
    "JawRight", "JawLeft", "JawOpen", "MouthClose", "MouthFunnel", "MouthPucker", "MouthRight",
    "MouthLeft", "MouthSmileLeft", "MouthSmileRight", "MouthFrownLeft", "MouthFrownRight",
    "MouthDimpleLeft", "MouthDimpleRight", "MouthStretchLeft", "MouthStretchRight",
    "MouthRollLower", "MouthRollUpper", "MouthShrugLower", "MouthShrugUpper", "MouthPressLeft",
    "MouthPressRight", "MouthLowerDownLeft", "MouthLowerDownRight", "MouthUpperUpLeft",
    "MouthUpperUpRight", "BrowDownLeft", "BrowDownRight", "BrowInnerUp", "BrowOuterUpLeft",
    "BrowOuterUpRight", "CheekPuff", "CheekSquintLeft", "CheekSquintRight", "NoseSneerLeft",
    "NoseSneerRight", "TongueOut",
};

// Lower-case PascalCase name -> index.
const QHash<QString, int> &lookup()
{
    static const QHash<QString, int> table = [] {
        QHash<QString, int> t;
        for (int i = 0; i < kShapeCount; ++i)
            t.insert(QString::fromLatin1(kPascal[i]).toLower(), i);
        return t;
    }();
    return table;
}

} // namespace

QString pascalName(int i)
{
    return (i >= 0 && i < kShapeCount) ? QString::fromLatin1(kPascal[i]) : QString();
}

QString canonicalName(int i)
{
    QString name = pascalName(i);
    if (!name.isEmpty())
        name[0] = name[0].toLower();
    return name;
}

const QStringList &canonicalNames()
{
    static const QStringList names = [] {
        QStringList n;
        for (int i = 0; i < kShapeCount; ++i)
            n << canonicalName(i);
        return n;
    }();
    return names;
}

const QStringList &headChannelNames()
{
    static const QStringList names = {QStringLiteral("headYaw"), QStringLiteral("headPitch"),
                                      QStringLiteral("headRoll")};
    return names;
}

const QStringList &rotationChannelNames()
{
    static const QStringList names = headChannelNames()
        + QStringList{QStringLiteral("leftEyeYaw"), QStringLiteral("leftEyePitch"), QStringLiteral("rightEyeYaw"),
                      QStringLiteral("rightEyePitch")};
    return names;
}

int indexOf(const QString &anySpelling)
{
    static const QRegularExpression prefix(QStringLiteral("^AK_\\d+_"),
                                           QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression sideSuffix(QStringLiteral("[_.](L|R|left|right)$"),
                                               QRegularExpression::CaseInsensitiveOption);
    QString name = anySpelling.trimmed();
    const int separator = std::max(name.lastIndexOf(QLatin1Char(':')), name.lastIndexOf(QLatin1Char('.')));
    // Keep ".L"/".R" suffixes: they are a side, not a namespace.
    if (separator >= 0 && separator < name.size() - 2)
        name = name.mid(separator + 1);
    name.remove(prefix);
    const QRegularExpressionMatch side = sideSuffix.match(name);
    if (side.hasMatch()) {
        const bool left = side.captured(1).startsWith(QLatin1Char('l'), Qt::CaseInsensitive);
        name.chop(side.capturedLength(0));
        name += left ? QStringLiteral("Left") : QStringLiteral("Right");
    }
    return lookup().value(name.toLower(), -1);
}

} // namespace fa::arkit
