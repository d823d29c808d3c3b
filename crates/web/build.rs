// The server embeds the GOV.UK Frontend and MOJ Frontend assets that scripts/build-assets.sh
// builds from the pinned npm packages. Fail early, with the fix, if they are missing.
fn main() {
    println!("cargo:rerun-if-changed=assets-build");
    println!("cargo:rerun-if-changed=templates");
    let css = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets-build/frontdoor.css");
    if !css.exists() {
        panic!(
            "\n\nThe web assets are not built ({} is missing).\nRun `scripts/build-assets.sh` (it installs the pinned npm packages and compiles the CSS), then build again.\n",
            css.display()
        );
    }
}
