# Turns a text file into a C source defining
#   const char NAME[] = "...";  const unsigned long NAME_len = N;
# Run as: cmake -DINPUT=in -DOUTPUT=out.c -DNAME=sym -P embed.cmake
# (no xxd needed: CMake reads the file as hex itself).
file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" hexlen)
math(EXPR len "${hexlen} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "(0x[0-9a-f][0-9a-f],){16}" "\\0\n    " bytes "${bytes}")
file(WRITE "${OUTPUT}"
  "/* Generated from ${INPUT} by cmake/embed.cmake; do not edit. */\n"
  "const char ${NAME}[] = {\n    ${bytes}0x00\n};\n"
  "const unsigned long ${NAME}_len = ${len};\n")
