#include <cstdio>

int main() {
  std::puts("distill " DISTILL_VERSION);
  return 0;
}
