#include "projectio/face_import_report.h"

namespace fa {

QString FileImportReport::line() const
{
    if (!problem.isEmpty())
        return problem;
    if (alreadyInProject)
        return QStringLiteral("%1: already in the project").arg(path);
    if (imageTooSmall)
        return QStringLiteral("%1: %2x%3 image, smaller than the minimum face size (%4 px): skipped")
            .arg(path).arg(imageWidth).arg(imageHeight).arg(minFaceSize);
    QStringList parts;
    if (facesFound == 0)
        parts << QStringLiteral("no face found");
    else
        parts << QStringLiteral("%1 %2 found, %3 added").arg(facesFound)
                     .arg(facesFound == 1 ? QStringLiteral("face") : QStringLiteral("faces")).arg(facesAdded);
    if (facesTooSmall > 0)
        parts << QStringLiteral("%1 too small (below %2 px)").arg(facesTooSmall).arg(minFaceSize);
    if (nearDuplicatesDropped > 0)
        parts << QStringLiteral("%1 near %2 dropped").arg(nearDuplicatesDropped)
                     .arg(nearDuplicatesDropped == 1 ? QStringLiteral("duplicate") : QStringLiteral("duplicates"));
    QString text = QStringLiteral("%1: %2").arg(path, parts.join(QStringLiteral(", ")));
    if (video)
        text += QStringLiteral(" (%1 frames scanned, %2 without a face)").arg(framesScanned).arg(framesWithoutFace);
    if (searchedFromSize > minFaceSize)
        text += QStringLiteral(" (too large to search faces below %1 px)").arg(searchedFromSize);
    return text;
}

void FaceImportReport::add(const FileImportReport &file)
{
    if (file.alreadyInProject)
        ++filesAlreadyInProject;
    framesScanned += file.framesScanned;
    framesWithoutFace += file.framesWithoutFace;
    facesAdded += file.facesAdded;
    facesTooSmall += file.facesTooSmall;
    imagesTooSmall += file.imageTooSmall ? 1 : 0;
    nearDuplicatesDropped += file.nearDuplicatesDropped;
    if (!file.problem.isEmpty())
        problems << file.problem;
    files.push_back(file);
}

} // namespace fa
