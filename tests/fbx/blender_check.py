# Imports an FBX file into an empty Blender scene and dumps what test_fbx_writer compares.
#
#   blender -b --factory-startup --python-exit-code 1 --python blender_check.py -- IN.fbx OUT.json
#
# OUT.json:
#   {"fbx_version": int, "fps": scene fps (int, Blender rounds), "fps_base": float,
#    "objects": [{"name", "vertex_count", "polygon_count",
#                 "shape_keys": [{"name", "max_displacement" (largest vertex offset from Basis,
#                                 object space), "frames": [key frames], "values": [fcurve value
#                                 evaluated at each key frame]}]}]}
# "frames"/"values" are empty for a shape key without an fcurve in the shape-key action.
# Any failure (import cancelled, exception) exits with status 1 through --python-exit-code.

import json
import sys

import bpy
import numpy


def main():
    argv = sys.argv[sys.argv.index("--") + 1:]
    if len(argv) != 2:
        raise SystemExit("usage: blender ... --python blender_check.py -- IN.fbx OUT.json")
    fbx_path, json_path = argv

    bpy.ops.wm.read_factory_settings(use_empty=True)
    result = bpy.ops.import_scene.fbx(filepath=fbx_path)
    if "FINISHED" not in result:
        raise RuntimeError("import_scene.fbx returned %r for %s" % (result, fbx_path))

    from io_scene_fbx import parse_fbx
    scene = bpy.context.scene
    out = {
        "fbx_version": parse_fbx.parse_version(fbx_path),
        "fps": scene.render.fps,
        "fps_base": scene.render.fps_base,
        "objects": [],
    }
    for ob in sorted(scene.objects, key=lambda o: o.name):
        if ob.type != "MESH":
            continue
        mesh = ob.data
        entry = {
            "name": ob.name,
            "vertex_count": len(mesh.vertices),
            "polygon_count": len(mesh.polygons),
            "shape_keys": [],
        }
        key = mesh.shape_keys
        if key is not None:
            action = key.animation_data.action if key.animation_data else None
            count = len(mesh.vertices)
            basis = numpy.empty(count * 3, dtype=numpy.float64)
            key.reference_key.data.foreach_get("co", basis)
            co = numpy.empty(count * 3, dtype=numpy.float64)
            for block in key.key_blocks:
                block.data.foreach_get("co", co)
                offsets = (co - basis).reshape(-1, 3)
                shape = {
                    "name": block.name,
                    "max_displacement": float(numpy.abs(offsets).max()) if count else 0.0,
                    "frames": [],
                    "values": [],
                }
                if action is not None:
                    fcurve = action.fcurves.find(block.path_from_id("value"))
                    if fcurve is not None:
                        for point in fcurve.keyframe_points:
                            frame = point.co[0]
                            shape["frames"].append(frame)
                            shape["values"].append(fcurve.evaluate(frame))
                entry["shape_keys"].append(shape)
        out["objects"].append(entry)

    with open(json_path, "w") as f:
        json.dump(out, f)


main()
