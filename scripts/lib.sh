# Shared by the scripts: say what is happening, fail loudly, check the tools.
# shellcheck shell=bash

say() { printf '==> %s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

require_tools() {
  command -v java >/dev/null 2>&1 || die "java not found: install a JDK 17 or newer (e.g. 'apt-get install openjdk-17-jdk-headless')"
  command -v mvn >/dev/null 2>&1 || die "mvn not found: install Apache Maven 3.8+ (e.g. 'apt-get install maven')"
  local v
  v=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/ *java.specification.version = //p')
  [ "${v%%.*}" -ge 17 ] 2>/dev/null || die "java $v found: rollgate needs JDK 17 or newer"
}

# Maven's console library ends each quiet run with ANSI reset codes even in batch mode; without
# them the scripts' output stays plain text (in logs and CI too).
case " ${MAVEN_OPTS:-} " in
  *jansi.noreset*) ;;
  *) export MAVEN_OPTS="${MAVEN_OPTS:+$MAVEN_OPTS }-Djansi.noreset=true" ;;
esac

# Quiet logs for the scripts' own runs: warnings and errors only.
LOG_OPTS=(
  "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"
  "-Djava.util.logging.SimpleFormatter.format=%1\$tT %4\$s %3\$s: %5\$s%6\$s%n"
)

local_classpath() {
  local jar
  jar=$(ls adapters/local/target/rollgate-adapter-local-*.jar 2>/dev/null | grep -v -- '-tests.jar' | head -1)
  [ -n "$jar" ] || die "adapters/local is not built: run 'mvn -DskipTests package -pl adapters/local -am'"
  printf '%s:%s' "$jar" "adapters/local/target/lib/*"
}

build_local() {
  say "Building rollgate (events, functions, adapters/local) with Maven ..."
  mvn -B -q -DskipTests -Dspotless.check.skip=true package -pl adapters/local -am \
    || die "the build failed (see Maven's output above)"
}

# A class path file written by Maven (dependency:build-classpath) names rollgate's own modules as
# jars in ~/.m2, which any other checkout's 'mvn install' overwrites: this checkout's own classes
# are used instead (events, functions and functions' test classes).
reactor_classpath() {
  local root=$1 file=$2
  sed -E \
    -e "s#[^:]*/dev/rollgate/rollgate-functions/[^/:]+/rollgate-functions-[^/:]*-tests\.jar#$root/functions/target/test-classes#g" \
    -e "s#[^:]*/dev/rollgate/rollgate-functions/[^/:]+/rollgate-functions-[^/:]*\.jar#$root/functions/target/classes#g" \
    -e "s#[^:]*/dev/rollgate/rollgate-events/[^/:]+/rollgate-events-[^/:]*\.jar#$root/events/target/classes#g" \
    "$file"
}
