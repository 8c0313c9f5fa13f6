// The layering check's program (cmake/areas.cmake): it is only linked,
// never run, so the whole of one area's library meets only the libraries
// that area declares. An undefined symbol there is a use of an undeclared
// area.
int main() {
  return 0;
}
