# fa_add_test(NAME SOURCES src... LIBRARIES lib... [GUI] [LABELS l...])
# One Qt Test executable per area, run by CTest. GUI tests run under xvfb-run.
# Tests read real data from FA_DATA_DIR (compile definition FA_TEST_DATA_DIR) and
# write scratch files under the build tree (FA_TEST_OUTPUT_DIR).
function(fa_add_test name)
    cmake_parse_arguments(ARG "GUI" "" "SOURCES;LIBRARIES;LABELS" ${ARGN})
    add_executable(${name} ${ARG_SOURCES})
    target_link_libraries(${name} PRIVATE Qt6::Test fa_compile_options ${ARG_LIBRARIES})
    target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/tests/support)
    target_compile_definitions(${name} PRIVATE
        FA_TEST_DATA_DIR="${FA_DATA_DIR}"
        FA_TEST_OUTPUT_DIR="${CMAKE_BINARY_DIR}/test-output/${name}"
        FA_BIN_DIR="${CMAKE_BINARY_DIR}/bin")
    if(ARG_GUI)
        add_test(NAME ${name} COMMAND xvfb-run -a -s "-screen 0 1600x1000x24" $<TARGET_FILE:${name}>)
    else()
        add_test(NAME ${name} COMMAND ${name})
        set_tests_properties(${name} PROPERTIES ENVIRONMENT "QT_QPA_PLATFORM=offscreen")
    endif()
    if(ARG_LABELS)
        set_tests_properties(${name} PROPERTIES LABELS "${ARG_LABELS}")
    endif()
endfunction()
