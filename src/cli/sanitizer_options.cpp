// Runtime defaults for DISTILL_SANITIZE builds. Compiled into each program
// (not the library, where the linker would drop them) so that every way of
// running it -- ctest, the e2e scripts, by hand -- checks the same things.
// ASAN_OPTIONS / UBSAN_OPTIONS in the environment still override them.

extern "C" const char* __asan_default_options() {
  return "detect_leaks=1:check_initialization_order=1:strict_init_order=1";
}

extern "C" const char* __ubsan_default_options() {
  return "print_stacktrace=1:halt_on_error=1";
}
